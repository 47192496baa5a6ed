package io.bestow.identity;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/** A key pair just created: the only time its token is shown. */
public record IssuedApiKey(@JsonUnwrapped ApiKey key, String appToken) {}
