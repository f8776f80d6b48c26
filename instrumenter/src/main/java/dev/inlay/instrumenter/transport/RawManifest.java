package dev.inlay.instrumenter.transport;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.google.cloud.tools.jib.image.json.ManifestTemplate;
import dev.inlay.instrumenter.image.Json;
import dev.inlay.instrumenter.image.MediaTypes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A manifest or index pushed through Jib's RegistryClient byte for byte. Jib serializes its own templates, which
 * drop fields; digest-identical round trips need the exact bytes, so this template writes them back verbatim.
 */
final class RawManifest implements ManifestTemplate, JsonSerializable {
    private final byte[] bytes;
    private final String mediaType;

    RawManifest(byte[] bytes) {
        this.bytes = bytes.clone();
        String mt = Json.text(Json.parseObject(bytes, "manifest"), "mediaType");
        if (mt == null)
            mt = Json.parseObject(bytes, "manifest").has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
        this.mediaType = mt;
    }

    byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public int getSchemaVersion() {
        return 2;
    }

    @Override
    public String getManifestMediaType() {
        return mediaType;
    }

    @Override
    public void serialize(JsonGenerator gen, SerializerProvider serializers) throws IOException {
        gen.writeRawValue(new String(bytes, StandardCharsets.UTF_8));
    }

    @Override
    public void serializeWithType(JsonGenerator gen, SerializerProvider serializers, TypeSerializer typeSer)
            throws IOException {
        serialize(gen, serializers);
    }
}
