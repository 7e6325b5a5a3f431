package io.slipway.kit.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientAdapter;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;

/**
 * Makes the declarative clients of Slipway's services ({@link TenantService}, {@link
 * RuntimeBridge}, {@link BuildService}): one way, for every service, to call another.
 */
public final class ServiceClients {

  private static final Logger log = LoggerFactory.getLogger(ServiceClients.class);

  /**
   * The header that marks a change safe to send twice: the server answers a repeat under the same
   * key as it answered the first.
   */
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  /** How long a connection may take to open. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** How long an answer may take: every internal call is short. */
  public static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

  private ServiceClients() {}

  /**
   * A client of the service at {@code base}. A request that names no {@code Authorization} of its
   * own carries {@code serviceToken}'s token (fetched per request, so it is renewed in time).
   */
  public static <T> T create(Class<T> api, URI base, Supplier<String> serviceToken) {
    return create(api, base, serviceToken, READ_TIMEOUT);
  }

  /**
   * As {@link #create(Class, URI, Supplier)}, for calls whose answer may take {@code readTimeout}.
   */
  public static <T> T create(
      Class<T> api, URI base, Supplier<String> serviceToken, Duration readTimeout) {
    return create(api, base, serviceToken, readTimeout, List.of());
  }

  /**
   * As {@link #create(Class, URI, Supplier, Duration)}, with {@code interceptors} run on every
   * request after the token is set (the portal tells the services the browser's address so). A null
   * {@code readTimeout} sets none: for a client of streams (live logs) that stay open for as long
   * as what they follow runs.
   */
  public static <T> T create(
      Class<T> api,
      URI base,
      Supplier<String> serviceToken,
      Duration readTimeout,
      List<ClientHttpRequestInterceptor> interceptors) {
    // HTTP/1.1: the services speak nothing else, so no h2c upgrade is tried on each new connection
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();
    JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(http);
    if (readTimeout != null) {
      requests.setReadTimeout(readTimeout);
    }
    RestClient client =
        RestClient.builder()
            .baseUrl(base.toString())
            .requestFactory(requests)
            .requestInterceptor(
                (request, body, execution) -> {
                  if (hasDotSegment(request.getURI())) {
                    return new NothingThere();
                  }
                  if (!request.getHeaders().containsHeader(HttpHeaders.AUTHORIZATION)) {
                    request.getHeaders().setBearerAuth(serviceToken.get());
                  }
                  return execution.execute(request, body);
                })
            .requestInterceptors(all -> all.addAll(interceptors))
            // last, so that it wraps only the exchange itself
            .requestInterceptor(
                (request, body, execution) -> {
                  if (request.getMethod() != HttpMethod.GET
                      && !request.getHeaders().containsHeader(IDEMPOTENCY_KEY)) {
                    return execution.execute(request, body);
                  }
                  try {
                    return execution.execute(request, body);
                  } catch (IOException e) {
                    // A read, or a change under an idempotency key, is sent once more on a fresh
                    // exchange: one lost or stalled connection is not an outage. Any other
                    // change is never sent twice.
                    log.warn(
                        "{} {} failed ({}); sending it once more",
                        request.getMethod(),
                        request.getURI(),
                        e.toString());
                    return execution.execute(request, body);
                  }
                })
            .build();
    return HttpServiceProxyFactory.builderFor(RestClientAdapter.create(client))
        .build()
        .createClient(api);
  }

  /**
   * Path variables are encoded as single segments, but a segment that is exactly {@code .} or
   * {@code ..} stays as it is, and a server normalises it away: a name like that would address
   * another endpoint. No object is named so (names are lower-case letters, digits and dashes), so
   * such a call is answered here, 404, and never leaves.
   */
  static boolean hasDotSegment(URI uri) {
    for (String segment : uri.getRawPath().split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        return true;
      }
    }
    return false;
  }

  /** The 404 a call naming {@code .} or {@code ..} gets without leaving this service. */
  private static final class NothingThere implements ClientHttpResponse {

    @Override
    public HttpStatusCode getStatusCode() {
      return HttpStatus.NOT_FOUND;
    }

    @Override
    public String getStatusText() {
      return "Not Found";
    }

    @Override
    public HttpHeaders getHeaders() {
      return new HttpHeaders();
    }

    @Override
    public InputStream getBody() {
      return InputStream.nullInputStream();
    }

    @Override
    public void close() {}
  }

  /** The {@code Authorization} value that sends {@code token} as a caller's bearer token. */
  public static String bearer(String token) {
    return "Bearer " + token;
  }
}
