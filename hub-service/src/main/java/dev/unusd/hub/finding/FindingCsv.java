package dev.unusd.hub.finding;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Findings as RFC 4180 CSV: a header, then one line per finding. Text cells that a spreadsheet would run as a
 * formula (they start with = + - @ or a control character) get a leading apostrophe: aliases and tags come from
 * customers' accounts.
 */
final class FindingCsv {

    static final List<String> HEADER = List.of("id", "type", "severity", "status", "keyRef", "keyId", "keyArn",
            "accountId", "awsAccountId", "region", "title", "detail", "monthlyCostUsd", "firstSeenAt", "lastSeenAt",
            "resolvedAt", "evidence", "remediation");

    private final Writer out;

    FindingCsv(Writer out) {
        this.out = out;
    }

    void header() {
        line(HEADER.toArray(String[]::new));
    }

    void row(FindingItem f) {
        line(f.id().toString(), f.type().name(), f.severity().name(), f.status().name(), f.keyRef().toString(),
                text(f.keyId()), text(f.keyArn()), f.accountId().toString(), f.awsAccountId(), f.region(),
                text(f.title()), text(f.detail()), f.monthlyCostUsd().toPlainString(), time(f.firstSeenAt()),
                time(f.lastSeenAt()), time(f.resolvedAt()), text(f.evidence()),
                text(String.join("\n", f.remediation().cli())));
    }

    private void line(String... cells) {
        try {
            for (int i = 0; i < cells.length; i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.write(quoted(cells[i]));
            }
            out.write("\r\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String quoted(String cell) {
        boolean needsQuotes = cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0
                || cell.indexOf('\r') >= 0;
        return needsQuotes ? '"' + cell.replace("\"", "\"\"") + '"' : cell;
    }

    static String text(String value) {
        if (!value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0) {
            return "'" + value;
        }
        return value;
    }

    private static String time(@Nullable Instant at) {
        return at == null ? "" : at.toString();
    }
}
