package io.bestow.customers;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.bestow.shared.ApiException;
import io.bestow.shared.AsyncAction;
import io.bestow.shared.AsyncActions;
import io.bestow.shared.CsvReader;
import io.bestow.shared.EventMeta;
import io.bestow.shared.Jobs;
import io.bestow.shared.ProjectId;
import io.bestow.shared.Uploads;
import io.bestow.shared.Utf8Check;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Imports customers from CSV, upserting by {@code source_id}, as a background job with progress.
 *
 * <p>The upload is checked for UTF-8 and a known header while it is stored, so a wrong file fails at once with
 * nothing imported. The job then streams the stored file and upserts it in batches; each batch commits together
 * with the job's progress, so after a crash the job resumes after the last committed batch. A bad row is reported
 * with its line number and reason while the good rows go in. Empty cells leave a field as it is; {@code metadata.*}
 * columns (or a {@code metadata} column holding a JSON object) merge into the customer's metadata.
 */
@Component
class CustomerImport {

    static final String TYPE = "CUSTOMERS_IMPORT_CSV";
    static final String TASK = "import-customers-csv";
    static final int BATCH = 5000;
    static final int MAX_REPORTED_ERRORS = 100;

    private static final Logger log = LoggerFactory.getLogger(CustomerImport.class);
    private static final Map<String, String> COLUMNS = columns();
    /** Read-only columns of an export, accepted and skipped so that an export imports again as it is. */
    private static final Set<String> IGNORED = Set.of("id", "object", "created_at", "updated_at");

    private final AsyncActions actions;
    private final Uploads uploads;
    private final Customers customers;
    private final SegmentMembership memberships;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transaction;
    private final ObjectProvider<SchedulerClient> scheduler;
    private final JsonMapper json;
    private final Clock clock;

    CustomerImport(
            AsyncActions actions,
            Uploads uploads,
            Customers customers,
            SegmentMembership memberships,
            ApplicationEventPublisher events,
            TransactionTemplate transaction,
            ObjectProvider<SchedulerClient> scheduler,
            JsonMapper json,
            Clock clock) {
        this.actions = actions;
        this.uploads = uploads;
        this.customers = customers;
        this.memberships = memberships;
        this.events = events;
        this.transaction = transaction;
        this.scheduler = scheduler;
        this.json = json;
        this.clock = clock;
    }

    /** Stores and checks the file, then enqueues the job; a file that cannot be imported fails the action at once. */
    AsyncAction accept(ProjectId project, InputStream file) throws IOException {
        var action = actions.create(project, TYPE);
        Uploads.Stored stored;
        try {
            stored = uploads.store(new Utf8Check(file));
        } catch (Utf8Check.NotUtf8 e) {
            actions.finish(action.id(), AsyncAction.Status.FAILED, Map.of("error", "The file is " + e.getMessage()));
            return actions.find(action.id()).orElseThrow();
        }
        try (var reader = reader(uploads.open(stored.id()))) {
            header(reader.next());
        } catch (InvalidFile | CsvReader.MalformedCsv e) {
            uploads.delete(stored.id());
            actions.finish(action.id(), AsyncAction.Status.FAILED, Map.of("error", e.getMessage()));
            return actions.find(action.id()).orElseThrow();
        }
        actions.progress(action.id(), 0, 0, 0, Map.of("upload_id", stored.id(), "size", stored.size()));
        Jobs.runSoon(scheduler.getObject(), new TaskInstance<>(TASK, action.id(), action.id()));
        return action;
    }

    /** Runs (or resumes) the job. */
    void run(String actionId) throws IOException {
        var action = actions.start(actionId);
        if (action.status() != AsyncAction.Status.IN_PROGRESS) {
            return;
        }
        var uploadId = (String) action.result().get("upload_id");
        long size = ((Number) action.result().get("size")).longValue();
        var progress = new Progress(action);
        var counting = new CountingStream(uploads.open(uploadId));
        try (var reader = reader(counting);
                var batches = new Batches(action, progress)) {
            var header = header(reader.next());
            long skip = progress.processed();
            var batch = new ArrayList<CsvReader.Row>(BATCH);
            CsvReader.Row row;
            while ((row = next(reader, () -> batches.importLast(header, batch))) != null) {
                if (skip > 0) {
                    skip--;
                    continue;
                }
                batch.add(row);
                if (batch.size() == BATCH) {
                    batches.submit(header, List.copyOf(batch), percent(counting.count, size));
                    batch.clear();
                }
            }
            batches.importLast(header, batch);
        } catch (CsvReader.MalformedCsv e) {
            progress.fail(e.line(), e.getMessage());
            actions.finish(
                    actionId,
                    AsyncAction.Status.FAILED,
                    progress.result("The file stops being valid CSV at line " + e.line() + ": " + e.getMessage()
                            + "; the rows before it were imported"));
            uploads.delete(uploadId);
            return;
        } catch (InvalidFile e) {
            actions.finish(actionId, AsyncAction.Status.FAILED, progress.result(e.getMessage()));
            uploads.delete(uploadId);
            return;
        }
        actions.finish(actionId, AsyncAction.Status.DONE, progress.result(null));
        uploads.delete(uploadId);
        log.info("Customer import {} done: {}", actionId, progress.result(null));
    }

    /** The next record; before a malformed one stops the job, the rows read so far are imported. */
    private static CsvReader.Row next(CsvReader reader, Runnable importPending) throws IOException {
        try {
            return reader.next();
        } catch (CsvReader.MalformedCsv e) {
            importPending.run();
            throw e;
        }
    }

    /**
     * Imports batches two at a time, each validated and upserted in its own transaction on its own connection, so that
     * the database's work on one overlaps the parsing of the next. They commit in file order, each with the progress
     * up to its last row: a batch waits for the one before it to commit before it records the progress and commits,
     * so the progress always counts a prefix of the file and a resumed job continues right after it. A batch that
     * shares a source id with the one still running starts only after it committed, so the file's later row wins.
     */
    private final class Batches implements AutoCloseable {

        private final AsyncAction action;
        private final Progress progress;
        private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
        private CompletableFuture<Void> last = CompletableFuture.completedFuture(null);
        private CompletableFuture<Void> beforeLast = CompletableFuture.completedFuture(null);
        private Set<String> lastSourceIds = Set.of();

        Batches(AsyncAction action, Progress progress) {
            this.action = action;
            this.progress = progress;
        }

        void submit(List<String> header, List<CsvReader.Row> rows, int percent) {
            var sourceIds = sourceIds(header, rows);
            await(beforeLast);
            if (!Collections.disjoint(sourceIds, lastSourceIds)) {
                await(last);
            }
            var previous = last;
            beforeLast = last;
            last = CompletableFuture.runAsync(
                    () -> importBatch(action, header, rows, progress, percent, previous), workers);
            lastSourceIds = sourceIds;
        }

        /** Imports the rows read last and waits for every batch to commit. */
        void importLast(List<String> header, List<CsvReader.Row> rows) {
            submit(header, List.copyOf(rows), 99);
            await(last);
        }

        @Override
        public void close() {
            workers.shutdownNow();
        }

        private static Set<String> sourceIds(List<String> header, List<CsvReader.Row> rows) {
            int column = header.indexOf("source_id");
            var ids = new HashSet<String>(rows.size() * 2);
            for (var row : rows) {
                if (column < row.fields().size()) {
                    ids.add(row.fields().get(column).trim());
                }
            }
            return ids;
        }

        /** Waits for a batch; its failure stops the job as if it had happened on this thread. */
        private static void await(CompletableFuture<Void> batch) {
            try {
                batch.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                throw e;
            }
        }
    }

    /**
     * Validates and upserts one batch, then, once the batch before it committed, records the progress and commits, all
     * in one transaction.
     */
    private void importBatch(
            AsyncAction action,
            List<String> header,
            List<CsvReader.Row> rows,
            Progress progress,
            int percent,
            CompletableFuture<Void> previous) {
        transaction.executeWithoutResult(status -> {
            var bySourceId = new LinkedHashMap<String, CustomerChanges>();
            var failed = new ArrayList<Map<String, Object>>();
            for (var row : rows) {
                try {
                    var changes = changes(header, row);
                    bySourceId.merge(changes.sourceId(), changes, CustomerChanges::then);
                } catch (IllegalArgumentException e) {
                    failed.add(Map.of("line", row.line(), "reason", e.getMessage()));
                } catch (ApiException e) {
                    failed.add(Map.of("line", row.line(), "reason", e.getMessage(), "fields", e.details()));
                }
            }
            var project = action.projectId();
            var imported = bySourceId.isEmpty()
                    ? List.<Customers.Imported>of()
                    : customers.upsertBatch(project, List.copyOf(bySourceId.values()), clock.instant());
            var created = new ArrayList<CustomerCreated>();
            var updated = new ArrayList<CustomerUpdated>();
            for (var each : imported) {
                if (each.inserted()) {
                    created.add(new CustomerCreated(EventMeta.of(project, clock), each.customer()));
                } else {
                    updated.add(new CustomerUpdated(EventMeta.of(project, clock), each.customer()));
                }
            }
            var segments = memberships.refreshAll(
                    project, imported.stream().map(Customers.Imported::customer).toList());
            if (!imported.isEmpty()
                    || !segments.entered().isEmpty()
                    || !segments.left().isEmpty()) {
                events.publishEvent(new CustomersImported(created, updated, segments.entered(), segments.left()));
            }
            Batches.await(previous);
            progress.add(rows.size() - failed.size(), created.size(), updated.size(), failed);
            actions.progress(action.id(), progress.done, progress.failed, percent, progress.result(null));
        });
    }

    /** Turns a CSV row into customer changes, through the same validation as the API. */
    private CustomerChanges changes(List<String> header, CsvReader.Row row) {
        if (row.fields().size() != header.size()) {
            throw new IllegalArgumentException(
                    "has " + row.fields().size() + " fields where the header has " + header.size());
        }
        ObjectNode node = json.createObjectNode();
        ObjectNode address = json.createObjectNode();
        ObjectNode metadata = json.createObjectNode();
        for (int i = 0; i < header.size(); i++) {
            var value = row.fields().get(i).trim();
            if (value.isEmpty()) {
                continue;
            }
            var column = header.get(i);
            if (column.isEmpty()) {
                continue;
            } else if (column.startsWith("metadata.")) {
                metadata.put(column.substring(9), value);
            } else if (column.equals("metadata")) {
                var parsed = parseJson(value);
                if (!parsed.isObject()) {
                    throw new IllegalArgumentException("metadata must be a JSON object");
                }
                metadata.setAll((ObjectNode) parsed);
            } else if (column.startsWith("address.")) {
                address.put(column.substring(8), value);
            } else {
                node.put(column, value);
            }
        }
        if (!node.has("source_id")) {
            throw new IllegalArgumentException("source_id is empty");
        }
        if (!address.isEmpty()) {
            node.set("address", address);
        }
        if (!metadata.isEmpty()) {
            node.set("metadata", metadata);
        }
        return CustomerChanges.parse(node, json);
    }

    private JsonNode parseJson(String value) {
        try {
            return json.readTree(value);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("metadata is not valid JSON");
        }
    }

    /** Maps the header's columns to field names; an unknown column or a missing source_id fails the file. */
    static List<String> header(CsvReader.Row row) throws InvalidFile {
        if (row == null) {
            throw new InvalidFile("The file is empty: it needs a header row with at least source_id");
        }
        var fields = new ArrayList<String>();
        var unknown = new ArrayList<String>();
        for (var raw : row.fields()) {
            var name = raw.replace("\uFEFF", "").trim().toLowerCase(Locale.ROOT);
            if (name.startsWith("metadata.") && name.length() > 9) {
                fields.add("metadata." + raw.replace("\uFEFF", "").trim().substring(9));
            } else if (IGNORED.contains(name)) {
                fields.add("");
            } else if (COLUMNS.containsKey(name)) {
                fields.add(COLUMNS.get(name));
            } else {
                unknown.add(raw);
            }
        }
        if (!unknown.isEmpty()) {
            throw new InvalidFile("The header has unknown columns " + unknown + "; known columns are "
                    + COLUMNS.keySet().stream().sorted().toList() + " and metadata.<key>");
        }
        if (!fields.contains("source_id")) {
            throw new InvalidFile("The header needs a source_id column to match customers by");
        }
        if (fields.stream().filter(f -> !f.isEmpty()).distinct().count()
                != fields.stream().filter(f -> !f.isEmpty()).count()) {
            throw new InvalidFile("The header names a column twice");
        }
        return fields;
    }

    private static Map<String, String> columns() {
        var columns = new LinkedHashMap<String, String>();
        for (var field : CustomerChanges.FIELDS) {
            columns.put(field, field);
        }
        columns.put("metadata", "metadata");
        columns.put("birthday", "birthdate");
        for (var part : CustomerChanges.ADDRESS) {
            columns.put("address_" + part, "address." + part);
            columns.put("address." + part, "address." + part);
        }
        return columns;
    }

    private static CsvReader reader(InputStream in) {
        return new CsvReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    private static int percent(long read, long size) {
        return size == 0 ? 99 : (int) Math.min(99, read * 100 / size);
    }

    /** A file that cannot be imported at all. */
    static final class InvalidFile extends IOException {
        InvalidFile(String message) {
            super(message);
        }
    }

    /** Counters and the first errors of a job, carried across batches and restarts. */
    private static final class Progress {
        long done;
        long failed;
        long created;
        long updated;
        final List<Map<String, Object>> errors = new ArrayList<>();

        @SuppressWarnings("unchecked")
        Progress(AsyncAction action) {
            done = action.rowsDone();
            failed = action.rowsFailed();
            created = ((Number) action.result().getOrDefault("created", 0)).longValue();
            updated = ((Number) action.result().getOrDefault("updated", 0)).longValue();
            errors.addAll((List<Map<String, Object>>) action.result().getOrDefault("errors", List.of()));
            upload = action.result();
        }

        private final Map<String, Object> upload;

        long processed() {
            return done + failed;
        }

        void add(long ok, long created, long updated, List<Map<String, Object>> rowErrors) {
            done += ok;
            failed += rowErrors.size();
            this.created += created;
            this.updated += updated;
            for (var error : rowErrors) {
                if (errors.size() < MAX_REPORTED_ERRORS) {
                    errors.add(error);
                }
            }
        }

        void fail(long line, String reason) {
            if (errors.size() < MAX_REPORTED_ERRORS) {
                errors.add(Map.of("line", line, "reason", reason));
            }
        }

        Map<String, Object> result(String error) {
            var result = new LinkedHashMap<String, Object>();
            result.put("upload_id", upload.get("upload_id"));
            result.put("size", upload.get("size"));
            result.put("rows", done + failed);
            result.put("created", created);
            result.put("updated", updated);
            result.put("unchanged", done - created - updated);
            result.put("failed", failed);
            result.put("errors", errors);
            if (error != null) {
                result.put("error", error);
            }
            return result;
        }
    }

    /** Counts the bytes read, for the progress percentage. */
    private static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b != -1) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    /** The db-scheduler task that runs imports, on one node at a time, resuming after a crash. */
    @Configuration(proxyBeanMethods = false)
    static class Task {

        @Bean
        OneTimeTask<String> importCustomersCsv(CustomerImport imports) {
            return Tasks.oneTime(TASK, String.class).execute((instance, context) -> {
                try {
                    imports.run(instance.getData());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
