package io.bestow.messaging;

import io.bestow.shared.ApiException;
import io.bestow.shared.Ids;
import io.bestow.shared.Paging;
import io.bestow.shared.ProjectId;
import io.bestow.shared.SqlFilters;
import java.time.Clock;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * E-mails to customers: the messaging module's API. A mail is written to the outbox in the caller's transaction, so
 * it exists exactly when what caused it does, and delivered after the commit.
 */
@Service
public class MailManagement {

    private final Mails mails;
    private final DeliveringMail delivering;
    private final Clock clock;

    MailManagement(Mails mails, DeliveringMail delivering, Clock clock) {
        this.mails = mails;
        this.delivering = delivering;
        this.clock = clock;
    }

    /** Writes the mail to the outbox; it goes out over SMTP after the commit, or stays stored when there is none. */
    @Transactional
    public Mail send(ProjectId project, Mail.Draft draft) {
        var now = clock.instant();
        boolean smtp = delivering.configured();
        var mail = new Mail(
                Ids.generate("msg"),
                draft.to(),
                draft.subject(),
                draft.text(),
                draft.html(),
                draft.purpose(),
                draft.referenceId(),
                smtp ? "queued" : "stored",
                0,
                null,
                now,
                null);
        mails.insert(project, mail, smtp ? now : null);
        if (smtp) {
            delivering.afterCommit(mail.id());
        }
        return mail;
    }

    public Mail mail(ProjectId project, String id) {
        return mails.find(project, id).orElseThrow(() -> ApiException.notFound("mail", id));
    }

    /** The outbox, newest first, optionally to one address or of one purpose. */
    public List<Mail> mails(ProjectId project, @Nullable String to, @Nullable String purpose, Paging paging) {
        return mails.list(project, new SqlFilters().where("to_address", to).where("purpose", purpose), paging);
    }

    public long countMails(ProjectId project, @Nullable String to, @Nullable String purpose) {
        return mails.count(project, new SqlFilters().where("to_address", to).where("purpose", purpose));
    }
}
