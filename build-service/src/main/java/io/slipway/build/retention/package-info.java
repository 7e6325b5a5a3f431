/**
 * Retention: the build logs and build caches past their retention removed by a scheduled job, and
 * the tenants' storage measured again after it.
 */
package io.slipway.build.retention;
