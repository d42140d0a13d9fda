import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { stringify } from 'yaml';

/**
 * A realistic article store for benchmarks and soak tests: the sizes of a real newsroom's
 * articles, spread over years, with the odd draft and embargo. The same options give the same
 * files, byte for byte, so measurements are comparable between runs and machines.
 */
export interface CorpusOptions {
  readonly articles: number;
  readonly categories: number;
  readonly seed: number;
  /** Articles are dated before this moment, except the embargoed share after it. */
  readonly now: number;
  /**
   * Real lead and inline images in the store (CORPUS_IMAGES, one narrower than partners accept)
   * and an Arabic category (ARABIC_CATEGORY) taking one article in ten: what issue 13's checks
   * need. Off for the benchmark corpora, whose bytes stay as they were.
   */
  readonly media?: boolean;
}

/** The Arabic category of a media corpus, declared with its language. */
export const ARABIC_CATEGORY = { name: 'أخبار مصر', slug: 'akhbar-msr', language: 'ar' } as const;

/** The images a media corpus holds: store path and size. */
export const CORPUS_IMAGES: readonly { readonly path: string; readonly width: number; readonly height: number }[] = [
  ...Array.from({ length: 7 }, (_, n) => ({ path: `images/corpus/lead-${n}.png`, width: 1200, height: 800 })),
  // Under MIN_IMAGE_WIDTH: the articles that use it are reported, and still published.
  { path: 'images/corpus/lead-7.png', width: 600, height: 400 },
  ...Array.from({ length: 4 }, (_, n) => ({ path: `images/corpus/inline-${n}.png`, width: 800, height: 600 })),
];
const LEAD_IMAGES = CORPUS_IMAGES.filter((image) => image.path.includes('/lead-'));
const INLINE_IMAGES = CORPUS_IMAGES.filter((image) => image.path.includes('/inline-'));
const ARABIC_WORDS = (
  'الحكومة الوزير محادثات السوق الأسهم التضخم الطاقة المناخ القمة الانتخابات المحكمة العلماء الدراسة ' +
  'القمر الصناعي العاصفة الساحل الميناء السكك الحديدية الميزانية الشرطة المجلس الإسكان الأسعار المدارس ' +
  'المستشفى البيانات الشركة الدوري المتحف المعرض المهرجان الفيلم الجائزة المزارعون الحصاد الصادرات النيل القاهرة'
).split(' ');

export interface CorpusFile {
  /** Store-relative path with forward slashes. */
  readonly path: string;
  readonly text: string;
}

const WORDS = (
  'government minister talks deadline market shares inflation energy climate summit election court ruling ' +
  'science researchers study vaccine satellite launch storm coast harbour railway strike union budget deficit ' +
  'police investigation council housing prices schools teachers hospital patients data privacy software startup ' +
  'football league final coach season museum exhibition festival film director novel award drought farmers ' +
  'harvest exports tariffs currency bank rates growth forecast report analysts officials residents community ' +
  'mayor bridge tunnel airport flights border ceasefire negotiations treaty diplomats embassy parliament vote'
).split(' ');
const AUTHORS = ['Amira Haddad', 'Jonas Berg', 'Lucía Fernández', 'Kwame Mensah', 'Mei Tanaka', 'Oliver Grant', 'Priya Raman', 'Sofia Rossi'];
const CATEGORY_STEMS = ['World', 'Business', 'Technology', 'Science', 'Health', 'Sport', 'Culture', 'Climate', 'Politics', 'Education'];
const YEAR_MS = 365.25 * 24 * 3600 * 1000;

export function corpusCategoryNames(count: number): string[] {
  return Array.from({ length: count }, (_, index) => {
    const stem = CATEGORY_STEMS[index % CATEGORY_STEMS.length] ?? 'News';
    const round = Math.floor(index / CATEGORY_STEMS.length);
    return round === 0 ? stem : `${stem} ${round + 1}`;
  });
}

export function corpusSiteYaml(categoryNames: readonly string[], options: { readonly media?: boolean } = {}): string {
  const arabic = options.media ? [{ name: ARABIC_CATEGORY.name, language: ARABIC_CATEGORY.language, description: 'أخبار مولدة لقياس Wirefeed.' }] : [];
  return stringify({
    title: 'Wirefeed Benchmark Corpus',
    description: 'Generated articles for measuring Wirefeed.',
    language: 'en',
    baseUrl: 'http://localhost:3000',
    tagAuthority: 'bench.wirefeed.example,2026',
    defaultAuthor: 'Wirefeed Bench Desk',
    categories: [...categoryNames.map((name) => ({ name, description: `Generated ${name} stories.` })), ...arabic],
  });
}

export function* generateCorpus(options: CorpusOptions): Generator<CorpusFile> {
  const rng = xoroshiro128plus(options.seed);
  const pick = <T>(items: readonly T[]): T => items[uniformInt(rng, 0, items.length - 1)] as T;
  const words = (count: number): string => Array.from({ length: count }, () => pick(WORDS)).join(' ');
  const sentence = (count: number): string => {
    const text = words(count);
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  };
  const textOfLength = (length: number): string => {
    let text = '';
    while (text.length < length) text += `${sentence(uniformInt(rng, 8, 18))} `;
    return text.trim();
  };
  const categories = corpusCategoryNames(options.categories);
  const span = 7 * YEAR_MS;
  const media = options.media === true;
  const arabicText = (count: number): string => `${Array.from({ length: count }, () => pick(ARABIC_WORDS)).join(' ')}.`;

  for (let index = 0; index < options.articles; index += 1) {
    const roll = uniformInt(rng, 0, 999);
    const embargoed = roll < 5;
    const draft = roll >= 5 && roll < 10;
    const published = embargoed
      ? options.now + uniformInt(rng, 1, 30 * 24 * 3600) * 1000
      : options.now - uniformInt(rng, 60, Math.floor(span / 1000)) * 1000;
    // Drawn after the English category so that the benchmark corpora's random stream is unchanged.
    const englishPrimary = pick(categories);
    const arabic = media && index % 10 === 9;
    const primary = arabic ? ARABIC_CATEGORY.name : englishPrimary;
    const second = uniformInt(rng, 0, 9) === 0 ? pick(categories) : undefined;
    const slug = `story-${String(index).padStart(7, '0')}`;
    const englishTitle = textOfLength(90).slice(0, 80).replace(/\s+\S*$/, '').replace(/[.\s]+$/, '');
    const title = arabic ? `${arabicText(6).replace(/\.$/, '')} ${index}` : englishTitle;
    const authorCount = uniformInt(rng, 0, 2);
    const frontMatter: Record<string, unknown> = {
      id: `bench-${options.seed}-${index}`,
      title,
      ...(second && second !== primary && !arabic ? { categories: [primary, second] } : { category: primary }),
      published: new Date(published).toISOString().replace('.000Z', 'Z'),
      ...(uniformInt(rng, 0, 3) === 0 ? { updated: new Date(published + uniformInt(rng, 60, 86_400) * 1000).toISOString().replace('.000Z', 'Z') } : {}),
      ...(authorCount > 0 ? { authors: Array.from({ length: authorCount }, () => pick(AUTHORS)).filter((name, i, all) => all.indexOf(name) === i) } : {}),
      summary: textOfLength(290).slice(0, 300),
      tags: Array.from({ length: uniformInt(rng, 1, 5) }, () => pick(WORDS)).filter((tag, i, all) => all.indexOf(tag) === i),
      ...(uniformInt(rng, 0, 1) === 0 ? { image: media ? `/${LEAD_IMAGES[index % LEAD_IMAGES.length]?.path ?? ''}` : `/images/${slug}.jpg` } : {}),
      ...(draft ? { draft: true } : {}),
    };
    const sections: string[] = [];
    while (sections.join('\n\n').length < 5000) {
      sections.push(`## ${sentence(uniformInt(rng, 3, 6)).replace(/\.$/, '')}`);
      sections.push(`${textOfLength(400)} See [the full report](https://reports.example.org/${pick(WORDS)}/${index}) for details.`);
      if (uniformInt(rng, 0, 2) === 0) {
        const inline = media ? `/${INLINE_IMAGES[sections.length % INLINE_IMAGES.length]?.path ?? ''}` : `/images/${slug}-${sections.length}.jpg`;
        sections.push(`![${words(4)}](${inline})`);
      }
      sections.push(textOfLength(500));
    }
    const folder = arabic ? ARABIC_CATEGORY.slug : primary.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    const body = arabic ? Array.from({ length: 12 }, () => arabicText(uniformInt(rng, 20, 40))).join('\n\n') : sections.join('\n\n');
    const summary = arabic ? { summary: arabicText(30) } : {};
    yield { path: `${folder}/${slug}.md`, text: `---\n${stringify({ ...frontMatter, ...summary })}---\n${body}\n` };
  }
}
