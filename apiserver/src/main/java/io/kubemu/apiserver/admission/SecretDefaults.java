package io.kubemu.apiserver.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubemu.apiserver.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What decoding a Secret does: {@code stringData} is a write-only convenience merged into
 * {@code data} (base64) and never stored, {@code data} must be base64, and the type is Opaque
 * unless said.
 */
final class SecretDefaults {
  private static final String BASE64_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";

  private SecretDefaults() {}

  static void apply(ObjectNode secret) {
    Fields.defaultText(secret, "type", "Opaque");
    if (secret.get("data") instanceof ObjectNode data) {
      data.fields().forEachRemaining(entry -> checkBase64(Fields.text(entry.getValue())));
    }
    if (secret.get("stringData") instanceof ObjectNode stringData) {
      ObjectNode data = Fields.object(secret, "data");
      if (data != null) {
        stringData.fields().forEachRemaining(entry -> data.put(entry.getKey(),
            Base64.getEncoder().encodeToString(Fields.text(entry.getValue()).getBytes(StandardCharsets.UTF_8))));
      }
    }
    secret.remove("stringData");
  }

  private static void checkBase64(String value) {
    try {
      Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      int at = 0;
      while (at < value.length() && BASE64_ALPHABET.indexOf(value.charAt(at)) >= 0) {
        at++;
      }
      throw ApiException.badRequest("Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte "
          + at);
    }
  }
}
