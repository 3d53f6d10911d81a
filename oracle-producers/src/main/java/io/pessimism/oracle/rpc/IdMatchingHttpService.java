package io.pessimism.oracle.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.web3j.protocol.core.BatchRequest;
import org.web3j.protocol.core.BatchResponse;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;

/**
 * web3j's HTTP transport with batch replies matched to their requests by JSON-RPC id. web3j pairs
 * batch replies by position, but JSON-RPC 2.0 lets a server answer a batch in any order, and a
 * missing reply must be an error rather than a silent shift of every later result.
 */
final class IdMatchingHttpService extends HttpService {

    IdMatchingHttpService(String url, OkHttpClient client) {
        super(url, client, false);
    }

    @Override
    public BatchResponse sendBatch(BatchRequest batch) throws IOException {
        List<Request<?, ? extends Response<?>>> requests = batch.getRequests();
        return new BatchResponse(requests, sendAll(requests));
    }

    /**
     * Sends the requests as one JSON-RPC batch and returns the replies in request order.
     *
     * @throws NodeException when the reply is not a batch, or a request has no reply or an unreadable one
     * @throws IOException when the node cannot be reached
     */
    List<Response<?>> sendAll(List<? extends Request<?, ? extends Response<?>>> requests) throws IOException {
        if (requests.isEmpty()) {
            return List.of();
        }
        JsonNode reply;
        try (InputStream in = performIO(objectMapper.writeValueAsString(requests))) {
            reply = in == null ? null : objectMapper.readTree(in);
        }
        if (reply == null || !reply.isArray()) {
            throw new NodeException("batch of " + requests.size() + " requests starting with "
                    + describe(requests.get(0)) + ": the node answered " + abbreviate(reply) + " instead of a batch");
        }
        Map<Long, JsonNode> byId = new HashMap<>(reply.size() * 2);
        for (JsonNode item : reply) {
            JsonNode id = item.get("id");
            if (id != null && id.canConvertToLong()) {
                byId.put(id.asLong(), item);
            }
        }
        List<Response<?>> responses = new ArrayList<>(requests.size());
        for (Request<?, ? extends Response<?>> request : requests) {
            JsonNode item = byId.get(request.getId());
            if (item == null) {
                throw new NodeException(describe(request) + ": no reply with id " + request.getId() + " in the batch");
            }
            try {
                responses.add(objectMapper.treeToValue(item, request.getResponseType()));
            } catch (JsonProcessingException e) {
                throw new NodeException(describe(request) + ": unreadable reply " + abbreviate(item), e);
            }
        }
        return responses;
    }

    static String describe(Request<?, ?> request) {
        return request.getMethod() + request.getParams();
    }

    private static String abbreviate(JsonNode node) {
        String text = String.valueOf(node);
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
