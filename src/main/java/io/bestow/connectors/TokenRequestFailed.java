package io.bestow.connectors;

/** An OAuth 2.0 token endpoint refused or failed a grant, or the connector has no grant to use. */
class TokenRequestFailed extends RuntimeException {

    TokenRequestFailed(String message) {
        super(message, null, false, false);
    }
}
