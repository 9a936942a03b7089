export { buildSiteModel, repositoryLayer, type SiteArtifact, type SiteModel } from './model.js';
export { renderSite } from './render.js';
