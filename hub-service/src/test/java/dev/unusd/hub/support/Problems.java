package dev.unusd.hub.support;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on the hub's problem+json answers. */
public final class Problems {

    private Problems() {
    }

    /** A 400 problem+json whose first field error names {@code field}. */
    public static void assertBadRequest(ApiClient.Response response, String field) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo(field);
    }
}
