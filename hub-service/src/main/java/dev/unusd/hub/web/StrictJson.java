package dev.unusd.hub.web;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * Request bodies are read strictly: a number is not a string, "true" is not a boolean, "90" is not a number.
 * A dashboard that sends the wrong type gets a 400 naming the field instead of a silently coerced value. Every string
 * must be {@link PlainText}, wherever it sits in the document.
 */
@Configuration(proxyBeanMethods = false)
class StrictJson {

    @Bean
    JsonMapperBuilderCustomizer strictCoercion() {
        return builder -> {
            builder.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
            builder.withCoercionConfig(LogicalType.Textual, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
            builder.withCoercionConfig(LogicalType.Boolean, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail));
            // 30.9 days is not 30 days: Jackson would otherwise drop the fraction.
            builder.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
            builder.addModule(new SimpleModule("plain-text").setDeserializerModifier(new ValueDeserializerModifier() {
                @Override
                public ValueDeserializer<?> modifyDeserializer(DeserializationConfig config,
                        BeanDescription.Supplier description, ValueDeserializer<?> deserializer) {
                    return description.getBeanClass() == String.class ? new PlainTextOnly(deserializer) : deserializer;
                }
            }));
            // "" and "  " are not a missing value: a field that is present must be valid.
            for (LogicalType type : new LogicalType[] { LogicalType.Boolean, LogicalType.Integer, LogicalType.Float,
                    LogicalType.Enum, LogicalType.Collection, LogicalType.Map, LogicalType.POJO, LogicalType.DateTime,
                    LogicalType.OtherScalar }) {
                builder.withCoercionConfig(type, c -> c.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                        .setAcceptBlankAsEmpty(false));
            }
        };
    }

    /** Reads a string as Jackson would (its coercion rules included), then refuses it unless it is plain text. */
    private static final class PlainTextOnly extends DelegatingDeserializer {

        PlainTextOnly(ValueDeserializer<?> strings) {
            super(strings);
        }

        @Override
        protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> strings) {
            return new PlainTextOnly(strings);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) {
            Object value = super.deserialize(parser, context);
            if (value instanceof String text) {
                PlainText.fault(text).ifPresent(fault -> {
                    throw new PlainTextException(parser, fault);
                });
            }
            return value;
        }
    }
}
