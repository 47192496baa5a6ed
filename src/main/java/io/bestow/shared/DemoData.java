package io.bestow.shared;

/** Seeds a module's demo data into a new project when Bestow starts with {@code BESTOW_DEMO=true}. */
public interface DemoData {

    void seed(ProjectId project);
}
