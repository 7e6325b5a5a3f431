{{/* The release's base name, at most 40 characters so that suffixes stay within 63. */}}
{{- define "slipway.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels of every object; call with (dict "root" $ "component" "portal"). */}}
{{- define "slipway.labels" -}}
app.kubernetes.io/name: slipway
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- with .component }}
app.kubernetes.io/component: {{ . }}
{{- end }}
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "slipway.selector" -}}
app.kubernetes.io/name: slipway
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "slipway.buildsNamespace" -}}
{{- default .Release.Namespace .Values.builds.namespace -}}
{{- end -}}

{{/* The governance volume's claim: the admin's existing one, or the chart's. */}}
{{- define "slipway.governanceClaim" -}}
{{- default (printf "%s-governance" (include "slipway.fullname" .)) .Values.governance.persistence.existingClaim -}}
{{- end -}}

{{/*
How the services find each other, as config/platform.env in the repository writes it once (the
charts module's PlatformWiringTest fails when the two disagree): per service its database (the
variables' prefix, and which postgresql.* value holds its JDBC URL), its secrets (variable: key in
keycloak.clientSecretsSecret; optionalSecrets may be missing from it), the services it calls (variable: service, reached at its Service) and
the URLs it shows users (variable: path on ingress.host, set when there is a host).
*/}}
{{- define "slipway.wiring" -}}
tenant-service:
  database: {env: SLIPWAY_TENANT_DB, url: tenantUrl}
build-service:
  database: {env: SLIPWAY_BUILD_DB, url: buildUrl}
  secrets: {SLIPWAY_BUILD_CLIENT_SECRET: build-client-secret, SLIPWAY_BUILD_SECRET_KEY: runtime-secret-key}
  # the forge tokens of commit status are sealed with the runtime's key, and rotated with it
  optionalSecrets: {SLIPWAY_BUILD_PREVIOUS_SECRET_KEYS: runtime-previous-secret-keys}
  urls: {SLIPWAY_BUILD_TENANT_API_URL: tenant-service, SLIPWAY_BUILD_RUNTIME_BRIDGE_URL: runtime-bridge}
  publicUrls: {SLIPWAY_BUILD_PORTAL_URL: ""}
runtime-bridge:
  database: {env: SLIPWAY_RUNTIME_DB, url: runtimeUrl}
  secrets: {SLIPWAY_RUNTIME_CLIENT_SECRET: runtime-client-secret, SLIPWAY_RUNTIME_SECRET_KEY: runtime-secret-key}
  # the keys runtime-secret-key replaced, until every stored secret is re-sealed: may be absent
  optionalSecrets: {SLIPWAY_RUNTIME_PREVIOUS_SECRET_KEYS: runtime-previous-secret-keys}
  urls: {SLIPWAY_TENANT_API_URL: tenant-service, SLIPWAY_RUNTIME_ADMISSION_BUILD_API_URL: build-service}
  # where the router's 503 page of an app that does not run links the app's page
  publicUrls: {SLIPWAY_RUNTIME_PORTAL_URL: ""}
portal:
  secrets: {SLIPWAY_PORTAL_CLIENT_SECRET: portal-client-secret}
  urls: {SLIPWAY_TENANT_API_URL: tenant-service, SLIPWAY_BUILD_API_URL: build-service, SLIPWAY_RUNTIME_API_URL: runtime-bridge}
  publicUrls: {SLIPWAY_GIT_URL: /git}
{{- end -}}
