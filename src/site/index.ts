export { buildSiteModel, repositoryLayer, SITE_SCHEMA_VERSION, type Layer, type SiteArtifact, type SiteEnvironment, type SiteFinding, type SiteInput, type SiteModel, type SiteRule, type SiteMacro, type SiteList } from './model.js';
export { renderSite, renderSiteData, siteAssetsDir, SITE_ASSETS, SITE_DATA_FILE, SITE_GLOBAL } from './render.js';
