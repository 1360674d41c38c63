package dev.unusd.hub.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/**
 * A receiver cannot hold a delivery: an endless answer is not read to its end, a dripping one is cut at the deadline
 * (connect + request timeout, 2 s here). Real HTTP servers on the loopback that count what they managed to send.
 */
class ChannelSenderUnitTest {

    private static final ChannelSender.Event EVENT = new ChannelSender.Event(UUID.randomUUID(), "notification.test",
            UUID.randomUUID(), Instant.parse("2026-12-07T08:00:00Z"), "{}");
    private static final int CHUNK = 64 * 1024;
    private static final long ENDLESS = 1024L * 1024 * 1024;

    @Test
    void anEndlessAnswerIsNotReadToItsEnd() throws Exception {
        CompletableFuture<Long> written = new CompletableFuture<>();
        HttpServer server = server(500, out -> {
            byte[] chunk = new byte[CHUNK];
            Arrays.fill(chunk, (byte) 'x');
            long sent = 0;
            try {
                while (sent < ENDLESS) {
                    out.write(chunk);
                    sent += CHUNK;
                }
            } catch (IOException closedByTheHub) {
                // what the test expects
            }
            written.complete(sent);
        });
        try {
            ChannelSender sender = new ChannelSender(new TargetGuard(true), NotificationFormatsUnitTest.properties(""));
            ChannelSender.Attempt attempt = sender.send(ChannelType.WEBHOOK, url(server), null, EVENT);
            assertThat(attempt.statusCode()).isEqualTo(500);
            assertThat(attempt.error()).isEqualTo("HTTP 500: " + "x".repeat(300));
            assertThat(written.get(30, TimeUnit.SECONDS)).as("bytes the receiver sent before the hub hung up")
                    .isLessThan(ENDLESS);
            sender.close();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anAnswerDrippingByteByByteIsCutAtTheDeadline() throws Exception {
        CompletableFuture<Integer> written = new CompletableFuture<>();
        HttpServer server = server(200, out -> {
            int sent = 0;
            try {
                for (; sent < 100; sent++) {
                    out.write('x');
                    out.flush();
                    Thread.sleep(300); // within the 1 s socket timeout every time
                }
            } catch (IOException | InterruptedException closedByTheHub) {
                // what the test expects
            }
            written.complete(sent);
        });
        try {
            ChannelSender sender = new ChannelSender(new TargetGuard(true), NotificationFormatsUnitTest.properties(""));
            ChannelSender.Attempt attempt = sender.send(ChannelType.SLACK, url(server), null, EVENT);
            assertThat(attempt.delivered()).isFalse();
            assertThat(attempt.error()).isEqualTo("the receiver did not answer within 2 s");
            assertThat(written.get(60, TimeUnit.SECONDS)).as("bytes dripped before the hub hung up").isLessThan(100);
            sender.close();
        } finally {
            server.stop(0);
        }
    }

    private interface Body {
        void write(OutputStream out) throws IOException;
    }

    /** Answers every request with the status and a chunked body the writer produces. */
    private static HttpServer server(int status, Body body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(status, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                body.write(out);
            } catch (IOException ignored) {
                // the hub hung up
            }
        });
        server.start();
        return server;
    }

    private static String url(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }
}
