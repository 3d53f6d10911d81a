package io.pessimism.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * The answers Jetty gives itself, before a request reaches the API's routes (a request line or
 * header it cannot parse, an invalid %-encoding, a URI or headers over its limits), as RFC 9457
 * problems like every other error of the API, whatever the client accepts. Jetty's own pages are
 * HTML (or JSON of another shape, by the Accept header).
 */
final class ProblemErrorHandler extends ErrorHandler {

    private final ObjectMapper mapper;

    ProblemErrorHandler(ObjectMapper mapper) {
        this.mapper = mapper;
        setShowStacks(false);
        setShowServlet(false);
    }

    /** A request Jetty could not parse: answered on the connection, without a request path to name. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
        return ByteBuffer.wrap(json(Problems.unreadable(status, reason)));
    }

    /** An error Jetty answers inside the servlet context (e.g. a path it refuses to decode). */
    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request,
            HttpServletResponse response, int code, String message) throws IOException {
        baseRequest.setHandled(true);
        Problem problem = Problems.unreadable(code, message).at(request.getRequestURI());
        response.setContentType(Problem.MEDIA_TYPE);
        byte[] body = json(problem);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private byte[] json(Problem problem) {
        try {
            return mapper.writeValueAsString(problem).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write problem " + problem, e);
        }
    }
}
