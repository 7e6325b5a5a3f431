package io.slipway.cli.api;

import io.slipway.cli.api.generated.RuntimeBridgeClient;
import io.slipway.cli.api.generated.RuntimeBridgeClient.ActivationPage;
import io.slipway.cli.api.generated.RuntimeBridgeClient.AppStatusView;
import io.slipway.cli.api.generated.RuntimeBridgeClient.AutoscaleSetting;
import io.slipway.cli.api.generated.RuntimeBridgeClient.AutoscaleView;
import io.slipway.cli.api.generated.RuntimeBridgeClient.CronList;
import io.slipway.cli.api.generated.RuntimeBridgeClient.DeployRequest;
import io.slipway.cli.api.generated.RuntimeBridgeClient.DomainRequest;
import io.slipway.cli.api.generated.RuntimeBridgeClient.DomainView;
import io.slipway.cli.api.generated.RuntimeBridgeClient.EnvRequest;
import io.slipway.cli.api.generated.RuntimeBridgeClient.EnvView;
import io.slipway.cli.api.generated.RuntimeBridgeClient.PromoteRequest;
import io.slipway.cli.api.generated.RuntimeBridgeClient.RevisionView;
import io.slipway.cli.api.generated.RuntimeBridgeClient.RollbackRequest;
import io.slipway.cli.api.generated.RuntimeBridgeClient.Run;
import io.slipway.cli.api.generated.RuntimeBridgeClient.RunRequest;
import io.slipway.cli.api.generated.RuntimeBridgeClient.ScaleRequest;
import io.slipway.cli.api.generated.RuntimeBridgeClient.ScaleToZeroSetting;
import io.slipway.cli.api.generated.RuntimeBridgeClient.ScaleToZeroView;
import io.slipway.cli.api.generated.RuntimeBridgeClient.VmRequest;
import io.slipway.cli.api.generated.RuntimeBridgeClient.VmView;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * runtime-bridge as the commands use it: deployments, rollback, scale, lifecycle, environment and
 * secrets, custom domains, logs, one-off runs, cron entries, activations, VMs. Every call and shape
 * is {@link RuntimeBridgeClient}'s, generated from the service's OpenAPI document; this adds the
 * app as one argument and reads the event streams.
 */
public final class RuntimeApi {

  private final RuntimeBridgeClient client;

  public RuntimeApi(Http http) {
    this.client = new RuntimeBridgeClient(http);
  }

  public AppStatusView status(AppRef app) {
    return client.status(app.tenant(), app.project(), app.app());
  }

  /** Deploys {@code image} (port and replicas null: the image's and the app's own). */
  public RevisionView deploy(AppRef app, String image, Integer port, Integer replicas) {
    return client.deploy(
        app.tenant(),
        app.project(),
        app.app(),
        DeployRequest.empty().withImage(image).withPort(port).withReplicas(replicas));
  }

  public RevisionView rollback(AppRef app, int revision) {
    return client.rollback(
        app.tenant(), app.project(), app.app(), RollbackRequest.empty().withRevision(revision));
  }

  /** Promotes the app's live image to app {@code toApp} of project {@code toProject}. */
  public RevisionView promote(AppRef app, String toProject, String toApp) {
    return client.promote(
        app.tenant(),
        app.project(),
        app.app(),
        PromoteRequest.empty().withProject(toProject).withApp(toApp));
  }

  /** Scales one process type of the live revision; {@code type} null is {@code web}. */
  public RevisionView scale(AppRef app, String type, int replicas) {
    return client.scale(
        app.tenant(),
        app.project(),
        app.app(),
        ScaleRequest.empty().withReplicas(replicas).withType(type));
  }

  /** An app's autoscaling: whether it is on, its bounds and target, whether the runtime can. */
  public AutoscaleView autoscaling(AppRef app) {
    return client.autoscaling(app.tenant(), app.project(), app.app());
  }

  /**
   * Turns autoscaling on between {@code min} and {@code max} web replicas for {@code target}
   * requests in flight each (null: the service's defaults), or off ({@code enabled} false).
   */
  public AutoscaleView autoscaling(
      AppRef app, boolean enabled, Integer min, Integer max, Integer target) {
    AutoscaleSetting setting =
        enabled
            ? AutoscaleSetting.empty()
                .withEnabled(true)
                .withMin(min)
                .withMax(max)
                .withTargetConcurrency(target)
            : AutoscaleSetting.empty().withEnabled(false);
    return client.setAutoscaling(app.tenant(), app.project(), app.app(), setting);
  }

  /**
   * An app's scale-to-zero setting, whether it is at zero and how ({@code stage}: awake, paused,
   * stopped), whether the runtime can do it.
   */
  public ScaleToZeroView scaleToZero(AppRef app) {
    return client.scaleToZero(app.tenant(), app.project(), app.app());
  }

  /**
   * Opts in after {@code idleAfter}, paused {@code pausedFor} before the stop (each null: the
   * platform's default), or out when not enabled.
   */
  public ScaleToZeroView scaleToZero(
      AppRef app, boolean enabled, String idleAfter, String pausedFor) {
    ScaleToZeroSetting setting =
        enabled
            ? ScaleToZeroSetting.empty()
                .withEnabled(true)
                .withIdleAfter(idleAfter)
                .withPausedFor(pausedFor)
            : ScaleToZeroSetting.empty().withEnabled(false);
    return client.setScaleToZero(app.tenant(), app.project(), app.app(), setting);
  }

  /** {@code start}, {@code stop} or {@code restart}, answered once done. */
  public AppStatusView lifecycle(AppRef app, String action) {
    return switch (action) {
      case "start" -> client.start(app.tenant(), app.project(), app.app());
      case "stop" -> client.stop(app.tenant(), app.project(), app.app());
      case "restart" -> client.restart(app.tenant(), app.project(), app.app());
      default -> throw new IllegalArgumentException("no such action: " + action);
    };
  }

  public EnvView env(AppRef app) {
    return client.env(app.tenant(), app.project(), app.app());
  }

  /**
   * Replaces the environment with {@code env}; each secret with a value is set, each with null is
   * removed, secrets not named are kept. Answered once a running app's revision with it is live.
   */
  public EnvView configure(AppRef app, Map<String, String> env, Map<String, String> secrets) {
    return client.setEnv(
        app.tenant(),
        app.project(),
        app.app(),
        EnvRequest.empty().withEnv(env).withSecrets(secrets));
  }

  public List<DomainView> domains(AppRef app) {
    return client.domains(app.tenant(), app.project(), app.app()).domains();
  }

  /** Claims the domain: pending, with how to prove it. */
  public DomainView addDomain(AppRef app, String domain) {
    return client.addDomain(
        app.tenant(), app.project(), app.app(), DomainRequest.empty().withDomain(domain));
  }

  /** Runs the proof; a domain not proven yet is a 422 saying why. */
  public DomainView verifyDomain(AppRef app, String domain) {
    return client.verifyDomain(app.tenant(), app.project(), app.app(), domain);
  }

  public void removeDomain(AppRef app, String domain) {
    client.removeDomain(app.tenant(), app.project(), app.app(), domain);
  }

  /**
   * Starts {@code command} in a fresh container of the live revision and answers at once, with the
   * run still running: {@link #runOutput} follows it to its end.
   */
  public Run startRun(AppRef app, String command) {
    return client.startRun(
        app.tenant(), app.project(), app.app(), RunRequest.empty().withCommand(command));
  }

  /**
   * Follows a run's output: each line from its start to {@code lines} as it comes; returns the run
   * as it ended (the stream's {@code end} event), or null when the stream ended without it.
   */
  public Run runOutput(AppRef app, String id, Consumer<String> lines) {
    Run[] ended = new Run[1];
    client.runOutput(
        app.tenant(),
        app.project(),
        app.app(),
        id,
        (name, data) -> {
          switch (name) {
            case "log" -> lines.accept(data);
            case "end" -> ended[0] = Json.read(Json.parse(data), Run.class);
            default -> {
              // an event this client does not know: newer servers may send more
            }
          }
        });
    return ended[0];
  }

  /** One run of the app, as it is now. */
  public Run findRun(AppRef app, String id) {
    return client.run(app.tenant(), app.project(), app.app(), id);
  }

  /** The live revision's cron entries; {@code nextRunAt} is null while the app is stopped. */
  public CronList cron(AppRef app) {
    return client.cron(app.tenant(), app.project(), app.app());
  }

  /**
   * The function's activations, newest first: at most {@code limit} (null: the service's 50),
   * before activation {@code before} (null: the newest), of one {@code status} (null: all).
   */
  public ActivationPage activations(AppRef app, Integer limit, String before, String status) {
    return client.activations(app.tenant(), app.project(), app.app(), limit, before, status);
  }

  /**
   * The live revision's log lines of one process type ({@code process} null: {@code web}): the last
   * {@code tail}, then new ones when following.
   */
  public void logs(AppRef app, String process, int tail, boolean follow, Consumer<String> lines) {
    client.logs(
        app.tenant(),
        app.project(),
        app.app(),
        tail,
        follow,
        process,
        (name, data) -> lines.accept(data));
  }

  /** The app's VM: its spec, what it should do and what it does; 404 when the app is no VM. */
  public VmView vm(AppRef app) {
    return client.vm(app.tenant(), app.project(), app.app());
  }

  /** Makes the app's VM and boots it; answered once QEMU runs. */
  public VmView createVm(AppRef app, VmRequest vm) {
    return client.createVm(app.tenant(), app.project(), app.app(), vm);
  }

  public VmView startVm(AppRef app) {
    return client.startVm(app.tenant(), app.project(), app.app());
  }

  public VmView stopVm(AppRef app) {
    return client.stopVm(app.tenant(), app.project(), app.app());
  }

  public VmView restartVm(AppRef app) {
    return client.restartVm(app.tenant(), app.project(), app.app());
  }

  /** Deletes the app's VM; {@code keepDataDisk}: but its data disk, for the app's next VM. */
  public void deleteVm(AppRef app, boolean keepDataDisk) {
    client.deleteVm(app.tenant(), app.project(), app.app(), keepDataDisk ? Boolean.TRUE : null);
  }
}
