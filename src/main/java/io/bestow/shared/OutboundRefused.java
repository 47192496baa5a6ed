package io.bestow.shared;

/** An outbound call that {@link OutboundGuard} refused: its target is not a public address nor allow-listed. */
public class OutboundRefused extends RuntimeException {

    public OutboundRefused(String message) {
        super(message, null, false, false);
    }
}
