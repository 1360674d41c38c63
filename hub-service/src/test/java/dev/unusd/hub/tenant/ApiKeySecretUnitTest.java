package dev.unusd.hub.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ApiKeySecretUnitTest {

    @Test
    void keysCarryThePrefixAnd32RandomBytes() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String key = ApiKeySecret.generate();
            assertThat(key).matches("unusd_[A-Za-z0-9_-]{43}");
            assertThat(ApiKeySecret.looksLikeKey(key)).isTrue();
            keys.add(key);
        }
        assertThat(keys).hasSize(1000);
    }

    @Test
    void onlyTheHashIsKeptAndThePrefixShownIsTooShortToUse() {
        String key = ApiKeySecret.generate();
        assertThat(ApiKeySecret.hash(key)).hasSize(32).isEqualTo(ApiKeySecret.hash(key));
        assertThat(ApiKeySecret.hash(key)).isNotEqualTo(ApiKeySecret.hash(ApiKeySecret.generate()));
        assertThat(ApiKeySecret.displayPrefix(key)).hasSize(12).isEqualTo(key.substring(0, 12));
        assertThat(ApiKeySecret.looksLikeKey("unusd_short")).isFalse();
    }
}
