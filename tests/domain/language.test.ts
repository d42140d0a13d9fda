import { describe, expect, it } from 'vitest';
import { isLanguageTag, isRightToLeft, sameLanguage, wrapContent } from '../../src/domain/language.ts';

describe('languages and direction', () => {
  it('knows which languages and scripts are written right to left', () => {
    for (const tag of ['ar', 'ar-EG', 'he', 'fa', 'ur', 'yi', 'dv', 'ku-Arab', 'AR']) expect(isRightToLeft(tag), tag).toBe(true);
    for (const tag of ['en', 'en-GB', 'fr', 'ar-Latn', 'zh-Hant-TW', 'ku']) expect(isRightToLeft(tag), tag).toBe(false);
  });

  it('treats tags with the same primary language as one language', () => {
    expect(sameLanguage('ar-EG', 'ar')).toBe(true);
    expect(sameLanguage('EN', 'en-GB')).toBe(true);
    expect(sameLanguage('ar', 'en')).toBe(false);
  });

  it('accepts BCP 47 tags only', () => {
    expect(['en', 'ar-EG', 'zh-Hant-TW'].every(isLanguageTag)).toBe(true);
    expect(['arabic', 'e', 'en_GB', 'en-', ''].some(isLanguageTag)).toBe(false);
  });

  it('wraps right-to-left and other-language content, and leaves the site language as it is', () => {
    const site = { language: 'en' };
    expect(wrapContent('<p>x</p>', {}, site)).toBe('<p>x</p>');
    expect(wrapContent('<p>x</p>', { language: 'ar' }, site)).toBe('<div dir="rtl" lang="ar"><p>x</p></div>');
    expect(wrapContent('<p>x</p>', { language: 'fr' }, site)).toBe('<div dir="ltr" lang="fr"><p>x</p></div>');
    expect(wrapContent('<p>x</p>', {}, { language: 'he' })).toBe('<div dir="rtl" lang="he"><p>x</p></div>');
  });
});
