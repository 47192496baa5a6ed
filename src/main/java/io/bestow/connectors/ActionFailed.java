package io.bestow.connectors;

import io.bestow.shared.EventMeta;
import io.bestow.shared.ProjectEvent;

/** An external action's call failed after its last attempt (or was refused before sending). */
public record ActionFailed(EventMeta meta, ActionRun run) implements ProjectEvent {

    @Override
    public String type() {
        return "action.failed";
    }

    @Override
    public Object object() {
        return run;
    }
}
