/** Media types and annotation keys falcoctl expects (falcoctl pkg/oci/constants.go). */
export const MEDIA_TYPE_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const MEDIA_TYPE_INDEX = 'application/vnd.oci.image.index.v1+json';
export const MEDIA_TYPE_RULESFILE_CONFIG = 'application/vnd.cncf.falco.rulesfile.config.v1+json';
export const MEDIA_TYPE_RULESFILE_LAYER = 'application/vnd.cncf.falco.rulesfile.layer.v1+tar.gz';

export const ANNOTATION_TITLE = 'org.opencontainers.image.title';
export const ANNOTATION_SOURCE = 'org.opencontainers.image.source';
export const ANNOTATION_REVISION = 'org.opencontainers.image.revision';
export const ANNOTATION_VERSION = 'org.opencontainers.image.version';
export const ANNOTATION_CREATED = 'org.opencontainers.image.created';
export const ANNOTATION_REF_NAME = 'org.opencontainers.image.ref.name';
export const ANNOTATION_ENVIRONMENT = 'io.falcogitops.environment';
export const ANNOTATION_REPOSITORY = 'io.falcogitops.repository';
/** Space-separated repositories on other registries that get the same artifact. */
export const ANNOTATION_MIRRORS = 'io.falcogitops.mirrors';

/** The falcoctl requirement key for the engine version (semver form, Falco >= 0.37). */
export const ENGINE_REQUIREMENT = 'engine_version_semver';
