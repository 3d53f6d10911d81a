package io.pessimism.schemaregistry;

/**
 * A Schema Registry error as the REST API reports it: the HTTP status, Confluent's
 * {@code error_code} and the message. The constants are Confluent's codes.
 */
public class SchemaRegistryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;
    public static final int SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED = 40408;
    public static final int INCOMPATIBLE_SCHEMA = 409;
    public static final int INVALID_SCHEMA = 42201;
    public static final int INVALID_VERSION = 42202;
    public static final int INVALID_COMPATIBILITY_LEVEL = 42203;
    public static final int UNPROCESSABLE_REQUEST = 42200;
    public static final int STORE_ERROR = 50001;

    private final int status;
    private final int errorCode;

    public SchemaRegistryException(int status, int errorCode, String message) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(int status, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    /** The HTTP status (404, 409, 422, 500, ...). */
    public int status() {
        return status;
    }

    /** Confluent's {@code error_code} (40401, 40403, 42201, 409, ...). */
    public int errorCode() {
        return errorCode;
    }

    /** True for "this subject/version/schema does not exist" (HTTP 404). */
    public boolean isNotFound() {
        return status == 404;
    }

    @Override
    public String toString() {
        return "SchemaRegistryException{status=" + status + ", error_code=" + errorCode + ", message=" + getMessage() + "}";
    }
}
