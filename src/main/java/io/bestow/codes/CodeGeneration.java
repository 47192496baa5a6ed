package io.bestow.codes;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.bestow.campaigns.Campaign;
import io.bestow.campaigns.CampaignCreated;
import io.bestow.campaigns.CampaignDeleted;
import io.bestow.campaigns.CampaignManagement;
import io.bestow.campaigns.CodeConfig;
import io.bestow.shared.ApiException;
import io.bestow.shared.AsyncAction;
import io.bestow.shared.AsyncActions;
import io.bestow.shared.EventMeta;
import io.bestow.shared.Jobs;
import io.bestow.shared.ProjectId;
import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Generates a campaign's codes in the background, as an async action with progress. Each batch of codes commits
 * together with the progress and the campaign's count, so a crash resumes after the last committed batch; two
 * batches run at once, each in its own transaction; the unique index on
 * codes makes collisions, and two generations running at once on different nodes, harmless: a code that is taken is
 * skipped and another one made in its place.
 */
@Component
class CodeGeneration {

    static final String TYPE = "CAMPAIGN_VOUCHERS_GENERATION";
    static final String TASK = "generate-campaign-codes";
    static final int BATCH = 10_000;
    /** Batches inserted at once, each by its own transaction. */
    static final int PARALLEL_BATCHES = 2;
    /** Batches in a row that may find every code taken before the job gives up on a crowded code space. */
    private static final int FRUITLESS_BATCHES = 5;

    private static final Logger log = LoggerFactory.getLogger(CodeGeneration.class);

    private final Vouchers vouchers;
    private final CampaignManagement campaigns;
    private final AsyncActions actions;
    private final ObjectProvider<SchedulerClient> scheduler;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transaction;
    private final Clock clock;

    CodeGeneration(
            Vouchers vouchers,
            CampaignManagement campaigns,
            AsyncActions actions,
            ObjectProvider<SchedulerClient> scheduler,
            ApplicationEventPublisher events,
            TransactionTemplate transaction,
            Clock clock) {
        this.vouchers = vouchers;
        this.campaigns = campaigns;
        this.actions = actions;
        this.scheduler = scheduler;
        this.events = events;
        this.transaction = transaction;
        this.clock = clock;
    }

    /** A new campaign asking for codes gets them generated; a code space too small refuses the campaign. */
    @EventListener
    void on(CampaignCreated created) {
        if (created.vouchersCount() > 0) {
            start(created.meta().projectId(), created.campaign(), created.vouchersCount());
        }
    }

    /** A deleted campaign's codes go with it; redemptions of them stay on record. */
    @EventListener
    void on(CampaignDeleted deleted) {
        vouchers.deleteCampaign(deleted.meta().projectId(), deleted.campaign().id());
    }

    /** Enqueues the generation of {@code count} more codes for the campaign, in the caller's transaction if any. */
    @Transactional
    AsyncAction start(ProjectId project, Campaign campaign, long count) {
        var capacity = campaign.voucher().codes().capacity();
        if (capacity.compareTo(BigInteger.valueOf(count).shiftLeft(1)) < 0) {
            throw new ApiException(
                    HttpStatus.UNPROCESSABLE_ENTITY,
                    "invalid_code_config",
                    "The code configuration allows " + capacity + " codes; generating " + count
                            + " needs room for at least twice as many",
                    Map.of("voucher.code_config", "allows too few codes"));
        }
        var action = actions.create(project, TYPE);
        var result = new LinkedHashMap<String, Object>();
        result.put("campaign_id", campaign.id());
        result.put("count", count);
        actions.progress(action.id(), 0, 0, 0, result);
        campaigns.generation(project, campaign.id(), "IN_PROGRESS");
        Jobs.runSoon(scheduler.getObject(), new TaskInstance<>(TASK, action.id(), action.id()));
        return action;
    }

    /** Runs (or resumes) a generation. */
    void run(String actionId) {
        var action = actions.start(actionId);
        if (action.status() != AsyncAction.Status.IN_PROGRESS) {
            return;
        }
        var project = action.projectId();
        var campaignId = (String) action.result().get("campaign_id");
        long count = ((Number) action.result().get("count")).longValue();
        Campaign campaign;
        try {
            campaign = campaigns.campaign(project, campaignId);
        } catch (ApiException gone) {
            actions.finish(
                    actionId,
                    AsyncAction.Status.FAILED,
                    Map.of("campaign_id", campaignId, "error", "The campaign was deleted"));
            return;
        }
        var config = campaign.voucher().codes();
        var remaining = new AtomicLong(count - action.rowsDone());
        var fruitless = new AtomicBoolean();
        // Each batch is one transaction on its own connection: several batches at once keep PostgreSQL's cores busy.
        while (remaining.get() > 0 && !fruitless.get()) {
            var batches = new ArrayList<Future<?>>();
            try (var workers = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < PARALLEL_BATCHES; i++) {
                    batches.add(workers.submit(
                            () -> generate(project, campaign, config, actionId, count, remaining, fruitless)));
                }
            }
            for (var batch : batches) {
                rethrowFailure(batch);
            }
        }
        long generated = actions.find(actionId).orElseThrow().rowsDone();
        if (fruitless.get()) {
            campaigns.generation(project, campaignId, "FAILED");
            actions.finish(
                    actionId,
                    AsyncAction.Status.FAILED,
                    Map.of(
                            "campaign_id",
                            campaignId,
                            "count",
                            count,
                            "generated",
                            generated,
                            "error",
                            "No free codes left in the code configuration's space"));
            return;
        }
        transaction.executeWithoutResult(status -> {
            campaigns.generation(project, campaignId, "DONE");
            actions.finish(actionId, AsyncAction.Status.DONE, result(campaignId, count, generated));
            events.publishEvent(new VouchersGenerated(
                    EventMeta.of(project, clock), campaignId, campaign.name(), generated, actionId));
        });
        log.info("Generated {} codes for campaign {}", generated, campaignId);
    }

    /**
     * Inserts batches until no codes remain to be made; a batch whose codes were partly taken gives the shortfall
     * back. Stops everything after FRUITLESS_BATCHES batches in a row that found every code taken.
     */
    private void generate(
            ProjectId project,
            Campaign campaign,
            CodeConfig config,
            String actionId,
            long count,
            AtomicLong remaining,
            AtomicBoolean fruitless) {
        int empty = 0;
        while (!fruitless.get()) {
            long size = Math.min(BATCH, remaining.getAndUpdate(left -> left - Math.min(BATCH, left)));
            if (size <= 0) {
                return;
            }
            // Sorted, so that batches inserting some of the same codes at once wait for each other in the same order
            // and never deadlock.
            var codes = new ArrayList<>(new TreeSet<>(config.generate((int) size)));
            int inserted;
            try {
                inserted = Objects.requireNonNull(transaction.execute(status -> {
                    int n = vouchers.insertAll(
                            project, campaign.id(), campaign.voucher(), campaign.category(), codes, clock.instant());
                    actions.advance(actionId, n, count);
                    campaigns.vouchersAdded(project, campaign.id(), n);
                    return n;
                }));
            } catch (TransientDataAccessException e) {
                log.info("Retrying a batch of codes for campaign {}: {}", campaign.id(), e.getMessage());
                inserted = 0;
            } catch (RuntimeException e) {
                remaining.addAndGet(size);
                fruitless.set(true);
                throw e;
            }
            remaining.addAndGet(size - inserted);
            empty = inserted == 0 ? empty + 1 : 0;
            if (empty == FRUITLESS_BATCHES) {
                fruitless.set(true);
            }
        }
    }

    /** Stops the job with a batch's failure, as if it had happened on this thread. */
    private static void rethrowFailure(Future<?> batch) {
        try {
            batch.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while generating codes", e);
        }
    }

    private static Map<String, Object> result(String campaignId, long count, long done) {
        var result = new LinkedHashMap<String, Object>();
        result.put("campaign_id", campaignId);
        result.put("count", count);
        result.put("generated", done);
        return result;
    }

    /** The db-scheduler task that runs generations, on one node at a time, resuming after a crash. */
    @Configuration(proxyBeanMethods = false)
    static class Task {

        @Bean
        OneTimeTask<String> generateCampaignCodes(CodeGeneration generation) {
            return Tasks.oneTime(TASK, String.class).execute((instance, context) -> generation.run(instance.getData()));
        }
    }
}
