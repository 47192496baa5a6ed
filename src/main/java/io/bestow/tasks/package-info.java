/**
 * Tasks: calls to action for the account team (a title, a customer, an assignee, a due date), created over the API or
 * by program steps, and closed when done.
 */
@ApplicationModule(displayName = "Tasks")
@NullMarked
package io.bestow.tasks;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
