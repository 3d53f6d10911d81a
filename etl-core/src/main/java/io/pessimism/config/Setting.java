package io.pessimism.config;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One declared setting (the ConfigDef / Debezium {@code Field} style): its key, type, default,
 * rule, description and whether it is secret. Declared once in {@link Settings}; loading,
 * validation, {@code describe()} and the docs table all read these declarations.
 *
 * @param defaultValue empty for an optional setting without a value unless one is given
 */
public record Setting<T>(String name, SettingType<T> type, Optional<T> defaultValue,
        Validator<? super T> validator, String description, boolean secret) {

    /** Prefix of the environment variables; see {@link #envVar()}. */
    public static final String ENV_PREFIX = "PESSIMISM_";

    public Setting {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(validator, "validator");
        Objects.requireNonNull(description, "description");
        defaultValue.ifPresent(value -> {
            if (!validator.accepts(value)) {
                throw new IllegalArgumentException(
                        "setting " + name + ": default " + value + " " + validator.rule());
            }
        });
    }

    /** A setting with a default. */
    public static <T> Setting<T> of(String name, SettingType<T> type, T defaultValue,
            Validator<? super T> validator, String description) {
        return new Setting<>(name, type, Optional.of(defaultValue), validator, description, false);
    }

    /** A setting that may stay unset. */
    public static <T> Setting<T> optional(String name, SettingType<T> type,
            Validator<? super T> validator, String description) {
        return new Setting<>(name, type, Optional.empty(), validator, description, false);
    }

    /**
     * The declared default, for code that needs a setting's value without a loaded configuration
     * (builders, standalone processes): the declaration stays the one source of every default.
     *
     * @throws IllegalStateException naming the setting when it is optional (declares no default)
     */
    public T declaredDefault() {
        return defaultValue.orElseThrow(() -> new IllegalStateException(
                "setting " + name + " declares no default: it is optional"));
    }

    /** The same setting, masked in {@code describe()} and errors. */
    public Setting<T> asSecret() {
        return new Setting<>(name, type, defaultValue, validator, description, true);
    }

    /** {@code kafka.bootstrap.servers} → {@code PESSIMISM_KAFKA_BOOTSTRAP_SERVERS}. */
    public String envVar() {
        return envVar(name);
    }

    /** The environment variable of a key: upper case, {@code .} and {@code -} as {@code _}. */
    public static String envVar(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The value as {@code describe()} shows it: masked when secret. */
    public String show(T value) {
        return secret ? "****" : type.format(value);
    }

    @Override
    public String toString() {
        return name;
    }
}
