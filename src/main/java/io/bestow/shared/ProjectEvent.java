package io.bestow.shared;

/**
 * A fact about a project, published inside the transaction that made it true. Modules listen to the concrete
 * records; the outside world sees each one as an {@link EventEnvelope}.
 */
public interface ProjectEvent {

    EventMeta meta();

    /** The public event type, such as {@code api_key.created}. */
    String type();

    /** What becomes {@code data.object} in the envelope: the resource as the API shows it. */
    Object object();
}
