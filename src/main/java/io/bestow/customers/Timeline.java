package io.bestow.customers;

import io.bestow.shared.ApiException;
import io.bestow.shared.EventMeta;
import io.bestow.shared.Ids;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/** A customer's timeline (activities, newest first) and the milestones it marks. */
@Component
class Timeline {

    static final String CUSTOM_EVENT = "custom_event";

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    Timeline(JdbcClient jdbc, JsonMapper json, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.events = events;
        this.clock = clock;
    }

    Activity record(
            ProjectId project, Customer customer, String type, @Nullable String name, Map<String, Object> data) {
        var activity = new Activity(Ids.generate("act"), customer.id(), type, name, data, clock.instant());
        jdbc.sql("""
                        INSERT INTO customers.activities (id, project_id, customer_id, type, name, data, created_at)
                        VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb), ?)
                        """)
                .params(
                        activity.id(),
                        project.value(),
                        customer.id(),
                        type,
                        name,
                        json.writeValueAsString(data),
                        Timestamp.from(activity.createdAt()))
                .update();
        if (CUSTOM_EVENT.equals(type) && name != null) {
            markMilestones(project, customer, name);
        }
        events.publishEvent(new ActivityRecorded(project, activity, customer));
        return activity;
    }

    /** Puts one entry on each customer's timeline with one statement. */
    List<Activity> recordAll(
            ProjectId project, List<Customer> customers, String type, String name, List<Map<String, Object>> data) {
        var now = clock.instant();
        var activities = new ArrayList<Activity>(customers.size());
        var ids = new String[customers.size()];
        var customerIds = new String[customers.size()];
        var bodies = new String[customers.size()];
        for (int i = 0; i < customers.size(); i++) {
            var activity = new Activity(Ids.generate("act"), customers.get(i).id(), type, name, data.get(i), now);
            activities.add(activity);
            ids[i] = activity.id();
            customerIds[i] = activity.customerId();
            bodies[i] = json.writeValueAsString(activity.data());
        }
        jdbc.sql("""
                        INSERT INTO customers.activities (id, project_id, customer_id, type, name, data, created_at)
                        SELECT id, ?, customer_id, ?, ?, CAST(data AS jsonb), ?
                        FROM unnest(?::text[], ?::text[], ?::text[]) AS t(id, customer_id, data)
                        """)
                .params(project.value(), type, name, Timestamp.from(now), ids, customerIds, bodies)
                .update();
        for (int i = 0; i < customers.size(); i++) {
            events.publishEvent(new ActivityRecorded(project, activities.get(i), customers.get(i)));
        }
        return activities;
    }

    /** Marks every milestone declared for this event that the customer had not reached yet. */
    private void markMilestones(ProjectId project, Customer customer, String event) {
        var now = clock.instant();
        var reached = jdbc.sql("""
                        INSERT INTO customers.milestones_reached (project_id, customer_id, milestone_id, reached_at)
                        SELECT project_id, ?, id, ? FROM customers.milestones WHERE project_id = ? AND event = ?
                        ON CONFLICT DO NOTHING RETURNING milestone_id
                        """)
                .params(customer.id(), Timestamp.from(now), project.value(), event)
                .query(String.class)
                .list();
        for (var id : reached) {
            events.publishEvent(
                    new MilestoneReached(EventMeta.of(project, clock), milestone(project, id), customer, now));
        }
    }

    /** Newest first; {@code starting_after} is the id of the last activity already seen. */
    List<Activity> activities(ProjectId project, String customerId, Paging paging) {
        return paging.select(
                        jdbc,
                        "id, customer_id, type, name, data::text AS data, created_at",
                        "customers.activities",
                        project,
                        "AND customer_id = :customer",
                        true)
                .param("customer", customerId)
                .query(this::activity)
                .list();
    }

    long countActivities(ProjectId project, String customerId) {
        return jdbc.sql("SELECT count(*) FROM customers.activities WHERE project_id = ? AND customer_id = ?")
                .params(project.value(), customerId)
                .query(Long.class)
                .single();
    }

    @Transactional
    Milestone declareMilestone(ProjectId project, String name, String event, @Nullable String description) {
        var milestone = new Milestone(Ids.generate("ms"), name, event, description, clock.instant());
        int inserted = jdbc.sql("""
                        INSERT INTO customers.milestones (id, project_id, name, event, description, created_at)
                        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                        """)
                .params(
                        milestone.id(),
                        project.value(),
                        name,
                        event,
                        description,
                        Timestamp.from(milestone.createdAt()))
                .update();
        if (inserted == 0) {
            throw ApiException.conflict("duplicate_found", "A milestone named " + name + " already exists");
        }
        // Customers who already tracked the event reached the milestone when they first did.
        jdbc.sql("""
                        INSERT INTO customers.milestones_reached (project_id, customer_id, milestone_id, reached_at)
                        SELECT project_id, customer_id, ?, min(created_at) FROM customers.activities
                        WHERE project_id = ? AND type = ? AND name = ? GROUP BY project_id, customer_id
                        """)
                .params(milestone.id(), project.value(), CUSTOM_EVENT, event)
                .update();
        return milestone;
    }

    Milestone milestone(ProjectId project, String id) {
        return jdbc.sql(
                        "SELECT id, name, event, description, created_at FROM customers.milestones WHERE project_id = ? AND id = ?")
                .params(project.value(), id)
                .query(Timeline::milestone)
                .optional()
                .orElseThrow(() -> ApiException.notFound("milestone", id));
    }

    List<Milestone> milestones(ProjectId project, Paging paging) {
        return paging.select(
                        jdbc, "id, name, event, description, created_at", "customers.milestones", project, "", false)
                .query(Timeline::milestone)
                .list();
    }

    long countMilestones(ProjectId project) {
        return jdbc.sql("SELECT count(*) FROM customers.milestones WHERE project_id = ?")
                .param(project.value())
                .query(Long.class)
                .single();
    }

    @Transactional
    void deleteMilestone(ProjectId project, String id) {
        if (jdbc.sql("DELETE FROM customers.milestones WHERE project_id = ? AND id = ?")
                        .params(project.value(), id)
                        .update()
                == 0) {
            throw ApiException.notFound("milestone", id);
        }
    }

    /** The milestones a customer has reached, with when. */
    List<Map<String, Object>> reached(ProjectId project, String customerId) {
        return jdbc.sql("""
                        SELECT m.id, m.name, m.event, m.description, m.created_at, r.reached_at
                        FROM customers.milestones_reached r JOIN customers.milestones m ON m.id = r.milestone_id
                        WHERE r.project_id = ? AND r.customer_id = ? ORDER BY r.reached_at, m.name
                        """)
                .params(project.value(), customerId)
                .query((rs, n) -> {
                    var entry = new LinkedHashMap<String, Object>();
                    entry.put("milestone", milestone(rs, n));
                    entry.put("reached_at", rs.getTimestamp("reached_at").toInstant());
                    return (Map<String, Object>) entry;
                })
                .list();
    }

    @SuppressWarnings("unchecked")
    private Activity activity(ResultSet rs, int row) throws SQLException {
        return new Activity(
                rs.getString("id"),
                rs.getString("customer_id"),
                rs.getString("type"),
                rs.getString("name"),
                json.readValue(rs.getString("data"), LinkedHashMap.class),
                rs.getTimestamp("created_at").toInstant());
    }

    private static Milestone milestone(ResultSet rs, int row) throws SQLException {
        return new Milestone(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("event"),
                rs.getString("description"),
                rs.getTimestamp("created_at").toInstant());
    }
}
