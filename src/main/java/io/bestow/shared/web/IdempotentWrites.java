package io.bestow.shared.web;

import io.bestow.shared.Actor;
import io.bestow.shared.ApiError;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Makes every API write safe to retry with an {@code Idempotency-Key} header.
 *
 * <p>The request runs inside one transaction that first takes a transaction-scoped advisory lock on (project, key)
 * and then looks for a stored response. A twin arriving while the first still runs cannot take the lock and gets
 * 409; a retry after it finished finds the stored response and gets it replayed (a different body gets 422). The
 * response of a successful request is stored in the same transaction as the change it made, so a crash can never
 * leave a change without its record or a record without its change. Client errors are stored after the rollback
 * so they replay too; server errors are not stored, so the client can try again.
 */
@Component
@Order(20)
class IdempotentWrites extends OncePerRequestFilter {

    static final String HEADER = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final int MAX_KEY_LENGTH = 255;

    private final JdbcClient jdbc;
    private final PlatformTransactionManager transactions;
    private final Clock clock;
    private final Duration retention;

    IdempotentWrites(
            JdbcClient jdbc,
            PlatformTransactionManager transactions,
            Clock clock,
            @Value("${bestow.idempotency.retention}") Duration retention) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.retention = retention;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getHeader(HEADER) == null
                || !WRITES.contains(request.getMethod())
                || !request.getRequestURI().startsWith("/v1/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var actor = Actor.current();
        if (actor.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        var key = request.getHeader(HEADER).trim();
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            ApiError.write(
                    response,
                    HttpStatus.BAD_REQUEST,
                    "invalid_idempotency_key",
                    "Idempotency-Key must be 1 to " + MAX_KEY_LENGTH + " characters",
                    null);
            return;
        }
        var project = actor.get().projectId().value();
        var body = request.getInputStream().readAllBytes();
        var requestHash = hash(request, body);
        var since = clock.instant().minus(retention);

        TransactionStatus tx = transactions.getTransaction(new DefaultTransactionDefinition());
        boolean open = true;
        try {
            if (!tryLock(project, key)) {
                transactions.rollback(tx);
                open = false;
                ApiError.write(
                        response,
                        HttpStatus.CONFLICT,
                        "idempotency_request_in_progress",
                        "A request with this Idempotency-Key is still being processed; retry later",
                        null);
                return;
            }
            var stored = find(project, key, since);
            if (stored != null) {
                transactions.rollback(tx);
                open = false;
                replay(stored, requestHash, response);
                return;
            }
            var cached = new ContentCachingResponseWrapper(response);
            chain.doFilter(new CachedBodyRequest(request, body), cached);
            int status = cached.getStatus();
            var outcome =
                    new StoredResponse(requestHash, status, cached.getContentType(), cached.getContentAsByteArray());
            if (status < 400 && !tx.isRollbackOnly()) {
                save(project, key, outcome, since);
                open = false;
                transactions.commit(tx);
            } else {
                open = false;
                transactions.rollback(tx);
                if (status < 500 && status != HttpStatus.TOO_MANY_REQUESTS.value()) {
                    new TransactionTemplate(transactions).executeWithoutResult(s -> save(project, key, outcome, since));
                }
            }
            cached.copyBodyToResponse();
        } finally {
            if (open) {
                transactions.rollback(tx);
            }
        }
    }

    private boolean tryLock(String project, String key) {
        var digest = sha256((project + "\n" + key).getBytes(StandardCharsets.UTF_8));
        long lockKey = ByteBuffer.wrap(digest).getLong();
        return Boolean.TRUE.equals(jdbc.sql("SELECT pg_try_advisory_xact_lock(?)")
                .param(lockKey)
                .query(Boolean.class)
                .single());
    }

    private StoredResponse find(String project, String key, Instant since) {
        return jdbc.sql("""
                        SELECT request_hash, status_code, content_type, body FROM shared.idempotency_keys
                        WHERE project_id = ? AND key = ? AND created_at > ?
                        """)
                .params(project, key, Timestamp.from(since))
                .query((rs, n) -> new StoredResponse(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getBytes(4)))
                .optional()
                .orElse(null);
    }

    /** Stores the response, replacing an expired record for the same key. */
    private void save(String project, String key, StoredResponse stored, Instant since) {
        jdbc.sql("""
                        INSERT INTO shared.idempotency_keys
                            (project_id, key, request_hash, status_code, content_type, body, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (project_id, key) DO UPDATE SET
                            request_hash = excluded.request_hash, status_code = excluded.status_code,
                            content_type = excluded.content_type, body = excluded.body, created_at = excluded.created_at
                        WHERE shared.idempotency_keys.created_at <= ?
                        """)
                .params(
                        project,
                        key,
                        stored.requestHash(),
                        stored.status(),
                        stored.contentType(),
                        stored.body(),
                        Timestamp.from(clock.instant()),
                        Timestamp.from(since))
                .update();
    }

    private static void replay(StoredResponse stored, String requestHash, HttpServletResponse response)
            throws IOException {
        if (!stored.requestHash().equals(requestHash)) {
            ApiError.write(
                    response,
                    HttpStatus.UNPROCESSABLE_ENTITY,
                    "idempotency_key_reused",
                    "This Idempotency-Key was already used for a different request",
                    "Use a new key for a new request; a key replays only the identical request");
            return;
        }
        response.setStatus(stored.status());
        if (stored.contentType() != null) {
            response.setContentType(stored.contentType());
        }
        response.setHeader(REPLAYED, "true");
        response.setContentLength(stored.body().length);
        response.getOutputStream().write(stored.body());
        response.flushBuffer();
    }

    /** Identifies the request: method, path, query and body. */
    private static String hash(HttpServletRequest request, byte[] body) {
        var head = request.getMethod() + " " + request.getRequestURI() + "?"
                + (request.getQueryString() == null ? "" : request.getQueryString()) + "\n";
        var digest = sha256(head.getBytes(StandardCharsets.UTF_8), body);
        return HexFormat.of().formatHex(digest);
    }

    private static byte[] sha256(byte[]... parts) {
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            for (var part : parts) {
                digest.update(part);
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record StoredResponse(String requestHash, int status, String contentType, byte[] body) {}

    /** A request whose body was read up front, so that it can be hashed and still be read by the controller. */
    private static final class CachedBodyRequest extends HttpServletRequestWrapper {
        private final byte[] body;

        CachedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            var in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("Synchronous reads only");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }
    }
}
