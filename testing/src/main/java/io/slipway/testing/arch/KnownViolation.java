package io.slipway.testing.arch;

/**
 * A boundary a service crosses today and should not: named so that the rule stays strict for every
 * other class, and so that fixing it makes the test ask for the exception to be removed.
 *
 * @param className the fully qualified name of the class that crosses the boundary
 * @param why what it does and where the fix is tracked
 */
public record KnownViolation(String className, String why) {}
