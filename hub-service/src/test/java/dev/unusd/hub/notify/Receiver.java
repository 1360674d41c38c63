package dev.unusd.hub.notify;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP receiver on the loopback, standing in for Slack, Teams and webhook endpoints: records every request and
 * answers each path with the statuses it was told to (then 200).
 */
final class Receiver implements AutoCloseable {

    record Request(String path, Map<String, String> headers, String body, Instant at) {

        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    record Answer(int status, Map<String, String> headers) {
    }

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private final Map<String, Deque<Answer>> scripts = new HashMap<>();
    private final Map<String, Answer> always = new HashMap<>();

    Receiver() throws IOException {
        this("127.0.0.1", 0);
    }

    /** A receiver on one loopback address and port (0: any free port). */
    Receiver(String address, int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(address, port), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
            String path = exchange.getRequestURI().getPath();
            Answer answer;
            synchronized (this) {
                requests.add(new Request(path, headers, body, Instant.now()));
                Deque<Answer> script = scripts.get(path);
                answer = script != null && !script.isEmpty() ? script.poll()
                        : always.getOrDefault(path, new Answer(200, Map.of()));
                notifyAll();
            }
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] text = (answer.status() < 300 ? "ok" : "no").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), text.length);
            exchange.getResponseBody().write(text);
            exchange.close();
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next requests to this path get these answers, in order. */
    synchronized void answer(String path, Answer... answers) {
        scripts.computeIfAbsent(path, p -> new ArrayDeque<>()).addAll(List.of(answers));
    }

    /** Every request to this path after the scripted ones gets this answer. */
    synchronized void answerAlways(String path, Answer answer) {
        always.put(path, answer);
    }

    int port() {
        return server.getAddress().getPort();
    }

    synchronized List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    synchronized List<Request> all() {
        return List.copyOf(requests);
    }

    /** Waits until the requests to a path satisfy the condition; fails after the timeout. */
    synchronized List<Request> await(String path, Predicate<List<Request>> done, Duration timeout)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!done.test(requests(path))) {
            long left = Duration.between(Instant.now(), deadline).toMillis();
            if (left <= 0) {
                throw new AssertionError("receiver " + path + " got " + requests(path).size() + " requests: "
                        + requests(path));
            }
            wait(left);
        }
        return requests(path);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
