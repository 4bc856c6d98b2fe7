package io.tracelight.core.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracelight.core.model.OutputFacts;
import java.io.IOException;

/**
 * The chosen tokens' log probabilities, as the providers list them: an array of objects, one per
 * token, each with its log probability under one member (OpenAI chat's {@code content[].logprob},
 * the Responses API's {@code logprobs[].logprob}, Gemini's {@code chosenCandidates[].logProbability}).
 * Stateless.
 */
public final class Logprobs {
  private Logprobs() {}

  /** Each element's {@code member} to the facts' running sum and minimum; the parser at the array. */
  public static void each(JsonParser p, String member, OutputFacts facts) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        p.skipChildren();
        continue;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals(member)) {
          Double v = Json.number(p);
          if (v != null) {
            facts.logprob(v);
          }
        } else {
          p.skipChildren();
        }
      }
    }
  }
}
