package dev.unusd.hub.web;

import java.io.IOException;
import java.io.Writer;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.tomcat.util.res.StringManager;

/**
 * Tomcat answers some requests itself before Spring sees them (a NUL or an encoded slash in the path, a malformed
 * request line): answer those as problem details too, instead of Tomcat's HTML page with its version in it.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String title = StringManager.getManager(Constants.PACKAGE_NAME, request.getLocales())
                .getString("http." + status + ".reason");
        if (title == null || title.isEmpty()) {
            title = status < 500 ? "Bad Request" : "Internal Server Error";
        }
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                        + ",\"detail\":\"" + title + "\"}");
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone; nothing to report to
        }
    }

    private static final class Constants {
        static final String PACKAGE_NAME = "org.apache.catalina.valves";
    }
}
