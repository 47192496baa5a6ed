/**
 * Connectors: connections to external APIs with their credentials (API keys, basic, bearer, OAuth 2.0 client
 * credentials and authorization code, all encrypted at rest), and external actions, templated HTTP requests with
 * retries, rate limits, a circuit breaker and a call log, which journeys, campaigns and fulfilment call out through.
 */
@ApplicationModule(displayName = "Connectors")
@NullMarked
package io.bestow.connectors;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
