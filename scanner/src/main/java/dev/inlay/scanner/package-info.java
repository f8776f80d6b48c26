/**
 * What code an image carries. The inventory reads file trees (an image's layers, given by the instrumenter, which owns
 * image I/O) and identifies components; the result is a CycloneDX BOM, the contract between inventory and advisory
 * matching. This module knows nothing of registries, agents or policies.
 */
package dev.inlay.scanner;
