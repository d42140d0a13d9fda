import { listFeeds } from '../pages/list-feeds.ts';
import { renderArticlePage } from '../pages/render-article-page.ts';
import { renderCategoryPage } from '../pages/render-category-page.ts';
import { renderIndexPage } from '../pages/render-index-page.ts';
import { renderOpml } from '../pages/render-opml.ts';
import type { PageRenderers } from './build-site.ts';

/** The pages Wirefeed publishes beside the feeds, bound to the site build's calling convention. */
export const pageRenderers: PageRenderers = {
  opml: (site, updated) => renderOpml(site, listFeeds(site), updated),
  indexPage: (site, recent) => renderIndexPage(site, site.categories, recent),
  categoryPage: (site, slug, recent) => renderCategoryPage(site, site.categories.find((category) => category.slug === slug) ?? { name: slug, slug }, recent),
  articlePage: renderArticlePage,
};
