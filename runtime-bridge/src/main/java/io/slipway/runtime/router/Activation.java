package io.slipway.runtime.router;

/**
 * Where a router sends the hosts of an app scaled to zero: the activator at {@code address} ({@code
 * host:port}), with the app's identity in the request header {@code header}, whose value the router
 * sets to {@code token} whatever the client sent, so a client can never name another app.
 */
public record Activation(String address, String header, String token) {}
