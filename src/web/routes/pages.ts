/**
 * HTML pages: the search page, the document list, a document, and the help page. Routes parse
 * input, call the service, and hand a view model to a template; errors go to the error handler,
 * which renders the Chinese error page with the same status as the API would use.
 */
import { Router } from 'express';
import type { Config } from '../../config.js';
import { isAppError } from '../../domain/errors.js';
import type { Span } from '../../domain/types.js';
import type { AsyncSearchServiceApi, DocListItem } from '../../search/api.js';
import { parseSearchParams, parseTodayParam } from '../params.js';
import { searchHref } from '../links.js';
import { corpusSummary, docPageModel, searchPageModel, type CorpusSummary } from '../view-models.js';

/** Example queries shown on the start page and the help page; each works on the seed corpus. */
export const EXAMPLE_QUERIES: ReadonlyArray<{ q: string; note: string }> = [
  { q: '重大行政决策', note: '普通检索：词按与文档相同的方式切分' },
  { q: '"行政规范性文件"', note: '引号：精确短语' },
  { q: '政务新媒体 -清理', note: '减号：排除含该词的条款' },
  { q: '疫情防控 OR 复工复产', note: 'OR：任一词即可' },
  { q: '天台 标准目录', note: '元数据：地区名与正文一起匹配' },
  { q: '2021 决策公开', note: '元数据：年份' },
  { q: '鼓政办〔2020〕65号', note: '文号检索' },
  { q: '单位:区司法局 规范性文件', note: '字段前缀：责任单位' },
  { q: '地区:东阳 政策解读', note: '字段前缀：地区' },
];

/** The query-syntax table on /help: each example is a link, and each works on the seeds. */
export const HELP_SYNTAX: ReadonlyArray<{ syntax: string; meaning: string; example: string }> = [
  {
    syntax: '词 词',
    meaning: '用空格分隔多个词；结果须含全部词（地区、年份等也可由所在文件的元数据满足）；没有同时含全部词的条款时，列出部分匹配并注明每条缺少的词。每个词都按文档同样的方式分析（全角/半角、括号、空格统一后切词），所以“2020 年”与“2020年”相同。',
    example: '政策解读 图表图解',
  },
  { syntax: '"短语" 或 “短语”', meaning: '引号内为精确短语：统一全角/半角和空格后，作为连续字符串出现。', example: '“最多跑一次”' },
  { syntax: '-词', meaning: '排除含该词的条款。', example: '政务新媒体 -清理' },
  { syntax: '词 OR 词', meaning: '任一词出现即可（OR 须大写，两侧留空格）。', example: '疫情防控 OR 复工复产' },
  { syntax: '标题:词', meaning: '只看标题含该词的文件。', example: '标题:东阳 依申请公开' },
  { syntax: '文号:…', meaning: '只看该文号的文件；只写文号条件时按原文顺序列出该文件的全部段落。括号写法不限：〔〕[]【】均可。', example: '文号:海政办发[2020]9号' },
  { syntax: '地区:…', meaning: '只看该地区的文件（可省略“县、区、市”），也可用网址参数 region。', example: '地区:鹿城 政策解读' },
  { syntax: '年份:…', meaning: '只看该年度的文件，也可用网址参数 year。', example: '年份:2021 政策解读' },
  { syntax: '单位:…', meaning: '只看责任单位含该名称的条款，也可用网址参数 unit。', example: '单位:区司法局 规范性文件' },
];

/** Metadata searched without a prefix, with what each example finds. */
export const HELP_METADATA: ReadonlyArray<{ q: string; note: string }> = [
  { q: '天台 标准目录', note: '天台县文件中提到“标准目录”的条款排在前面' },
  { q: '2021 决策公开', note: '2021 年文件中关于决策公开的条款排在前面' },
  { q: '鼓政办〔2020〕65号', note: '按文号找到文件（标题、文号行），以及正文中引用该文号的条款；也可写作“鼓政办2020 65号”' },
];

/** The corpus summary of each document list (a service lists its documents once, see listDocs). */
const summaries = new WeakMap<readonly DocListItem[], CorpusSummary>();
function summaryOf(docs: readonly DocListItem[]): CorpusSummary {
  let summary = summaries.get(docs);
  if (!summary) summaries.set(docs, (summary = corpusSummary(docs)));
  return summary;
}

export function pagesRouter(service: AsyncSearchServiceApi, config: Config): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const request = parseSearchParams(req.query, config.limits, 'page');
    const response = request.q ? await service.search(request) : null;
    const model = searchPageModel(request, response, config.limits);
    res.render('search', { ...model, pageTitle: request.q ? `${request.q} - 检索` : null, q: request.q, examples: examplesWithLinks(), corpus: summaryOf(await service.listDocs()) });
  });

  router.get('/docs', async (_req, res) => {
    res.render('docs', { docs: await service.listDocs(), pageTitle: '文件列表', q: '' });
  });

  router.get('/docs/:id', async (req, res) => {
    const doc = await service.getDoc(req.params.id, parseTodayParam(req.query));
    const q = typeof req.query.q === 'string' ? req.query.q.trim() : '';
    const model = docPageModel(doc, q, q ? await highlightsInDoc(service, config, doc.id, q) : null);
    res.render('doc', { ...model, pageTitle: doc.title ?? '（无标题）', q });
  });

  router.get('/help', (_req, res) => {
    res.render('help', {
      pageTitle: '检索帮助',
      q: '',
      examples: examplesWithLinks(),
      syntax: HELP_SYNTAX.map((row) => ({ ...row, href: searchHref({ q: row.example }) })),
      metadata: HELP_METADATA.map((e) => ({ ...e, href: searchHref({ q: e.q }) })),
      limits: config.limits,
    });
  });

  return router;
}

function examplesWithLinks() {
  return EXAMPLE_QUERIES.map((e) => ({ ...e, href: searchHref({ q: e.q }) }));
}

/**
 * Highlights for `?q=` on a document page: the same search the result list ran, restricted to
 * this document's paragraphs. A query the search rejects just shows the page without marks.
 */
async function highlightsInDoc(service: AsyncSearchServiceApi, config: Config, docId: string, q: string): Promise<Map<string, Span[]>> {
  const out = new Map<string, Span[]>();
  try {
    const request = parseSearchParams({ q, limit: String(config.limits.maxApiLimit) }, config.limits, 'api');
    for (const hit of (await service.search(request)).hits) if (hit.docId === docId) out.set(hit.id, hit.highlights);
  } catch (e) {
    if (!isAppError(e)) throw e;
  }
  return out;
}
