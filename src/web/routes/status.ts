/**
 * What the server is serving: the index summary shared by GET /readyz (JSON) and the /status page
 * (documents, paragraphs, build time, corpus checksum, generation, skipped files with reasons,
 * warnings, the last reload attempt).
 *
 * The summary comes from the reloader's snapshot when the server runs one (server.ts), else from
 * the service's own stats (an app built around a plain SearchService, as in tests). Failure
 * messages shown here are the catalog's Chinese messages; the full error (which may name server
 * paths) stays in the server log.
 */
import { Router } from 'express';
import { ERRORS, isAppError, type ErrorCode } from '../../domain/errors.js';
import type { IngestWarning, SkippedFile } from '../../domain/types.js';
import type { AsyncSearchServiceApi } from '../../search/api.js';
import type { IndexStatusSource, ReloadAttempt } from '../../search/reloader.js';

export interface IndexSummary {
  documents: number;
  paragraphs: number;
  /** ISO time the index was built, or null when unknown. */
  builtAt: string | null;
  buildMs: number | null;
  /** sha256 over the indexed files' checksums (see corpusChecksum), or null when unknown. */
  corpusChecksum: string | null;
  generation: string | null;
  /** When this server started serving the index (ISO), or null when unknown. */
  loadedAt: string | null;
  skipped: SkippedFile[];
  warnings: IngestWarning[];
}

/** The last reload attempt as shown to anyone: no server paths, no internal messages. */
export interface PublicReloadAttempt {
  at: string;
  trigger: string;
  kind: 'reload' | 'rebuild';
  ok: boolean;
  code: string | null;
  message: string;
  /** The generation serving after the attempt. */
  generation: string | null;
}

/** The summary of the index being served, or null while none is loaded. */
export async function indexSummary(service: AsyncSearchServiceApi, status?: IndexStatusSource): Promise<IndexSummary | null> {
  if (status) {
    const snap = status.snapshot();
    if (!snap) return null;
    const m = snap.manifest;
    return {
      documents: m.counts.documents,
      paragraphs: m.counts.paragraphs,
      builtAt: m.builtAt || null,
      buildMs: Number.isFinite(m.buildMs) ? m.buildMs : null,
      corpusChecksum: snap.corpusChecksum,
      generation: snap.generation,
      loadedAt: snap.loadedAt,
      skipped: m.skipped ?? [],
      warnings: m.warnings ?? [],
    };
  }
  try {
    const s = await service.stats();
    return {
      documents: s.documents,
      paragraphs: s.paragraphs,
      builtAt: s.builtAt || null,
      buildMs: null,
      corpusChecksum: null,
      generation: null,
      loadedAt: null,
      skipped: s.skipped,
      warnings: s.warnings ?? [],
    };
  } catch (e) {
    if (isAppError(e) && e.code === 'E_NOT_READY') return null;
    throw e;
  }
}

function isCatalogCode(code: string | null): code is ErrorCode {
  return code !== null && Object.prototype.hasOwnProperty.call(ERRORS, code);
}

export function publicReloadAttempt(a: ReloadAttempt | null): PublicReloadAttempt | null {
  if (!a) return null;
  const message = a.ok
    ? a.kind === 'rebuild'
      ? '已重建并载入索引。'
      : '已载入索引。'
    : `${isCatalogCode(a.code) ? ERRORS[a.code].message : a.kind === 'rebuild' ? ERRORS.E_REINDEX_FAILED.message : '载入索引失败。'}${
        a.generation ? '仍在使用原索引。' : ''
      }详情见服务器日志。`;
  return { at: a.finishedAt, trigger: a.trigger, kind: a.kind, ok: a.ok, code: a.ok ? null : a.code, message, generation: a.generation };
}

const BEIJING = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** An ISO time as Beijing time, `2021-03-01 14:05:09`, for the Chinese status page. */
export function beijingTime(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = Object.fromEntries(BEIJING.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** Why a file was skipped, in Chinese, from its code (the recorded reason adds the detail). */
export function skipLabel(code: string): string {
  if (code === 'IGNORED') return '已忽略';
  if (code === 'UNSUPPORTED_EXTENSION') return '不支持的文件类型';
  if (code === 'E_PARSE') return '无法解析';
  return isCatalogCode(code) ? ERRORS[code].message.replace(/。$/, '') : code;
}

/**
 * The loader's reasons and warnings (English, for the logs) in Chinese for the status page; the
 * technical detail in parentheses (an OS error, an encoding name) is kept as recorded.
 */
const DETAIL_ZH: ReadonlyArray<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^empty file \(0 bytes\)$/u, () => '空文件（0 字节）'],
  [/^only whitespace$/u, () => '只有空白字符'],
  [/^binary file \(contains NUL bytes\)$/u, () => '二进制文件（含 NUL 字节）'],
  [/^binary file \((\d+) control bytes\)$/u, (m) => `二进制文件（${m[1]} 个控制字节）`],
  [/^file too large \((\d+) bytes, limit (\d+)\)$/u, (m) => `文件过大（${m[1]} 字节，上限 ${m[2]} 字节）`],
  [/^decoded as (\S+) but (.+)$/u, (m) => `按 ${m[1]} 解码后仍有问题（${m[2]}）`],
  [/^not UTF-8 and no legacy encoding fits \((.+)\)$/u, (m) => `不是 UTF-8，也不符合 GB18030 等常见编码（${m[1]}）`],
  [/^not plain UTF-8: read as (\S+)$/u, (m) => `不是 UTF-8，已按 ${m[1]} 读取，请核对文字是否正确`],
  [/^no Chinese characters: .+$/u, () => '没有中文字符：已收录，但可能不是政策文件（或编码识别有误）'],
  [/^hidden file or folder$/u, () => '隐藏文件或文件夹'],
  [/^not a document \(README\)$/u, () => '说明文件（README），不是政策文件'],
  [/^matches the ignore list$/u, () => '在忽略列表中'],
  [/^not a (.+?) file(?: \((\S+)\))?$/u, (m) => `不是 ${m[1]!.replace(/ or /gu, ' 或 ')} 文件${m[2] ? `（${m[2]}）` : ''}`],
  [/^not a regular file .+$/u, () => '不是普通文件（设备、管道或套接字）'],
  [/^symbolic link loop: leads back to (.+)$/u, (m) => `符号链接循环：指回 ${m[1]}`],
  [/^symbolic link loop \((.+)\)$/u, (m) => `符号链接循环（${m[1]}）`],
  [/^folder already scanned as (.+) \(symbolic link\)$/u, (m) => `该文件夹已作为 ${m[1]} 扫描过（符号链接）`],
  [/^folder cannot be (resolved|listed) \((.+)\)$/u, (m) => `无法${m[1] === 'listed' ? '列出' : '解析'}该文件夹（${m[2]}）`],
  [/^cannot be read \((.+)\)$/u, (m) => `无法读取（${m[1]}）`],
  [/^needs OCR: (.+)$/u, (m) => `需要文字识别（OCR）：没有可用的文字层（${m[1]}）`],
  [/^not a PDF file .+$/u, () => '不是 PDF 文件（缺少 %PDF- 文件头）'],
  [/^truncated PDF file .+$/u, () => 'PDF 文件不完整（缺少 %%EOF 结尾）'],
  [/^damaged (PDF|DOCX|\S+) file(.*)$/u, (m) => `${m[1]} 文件已损坏${m[2]}`],
  [/^password-protected PDF file$/u, () => '有密码保护的 PDF 文件'],
  [/^not a DOCX file: .+$/u, () => '不是 DOCX 文件：有密码保护的文档或旧式 .doc 文件'],
  [/^not a DOCX file \(not a ZIP archive\)$/u, () => '不是 DOCX 文件（不是 ZIP 压缩包）'],
  [/^no text in the (document|page)$/u, (m) => `${m[1] === 'page' ? '网页' : '文档'}中没有文字`],
  [/^files of the saved web page (.+)$/u, (m) => `保存网页 ${m[1]} 的附属文件`],
  [/^declared charset (.+?) (?:is unknown|does not match the bytes).*: encoding detected instead$/u, (m) => `声明的字符集 ${m[1]} 不可用或与内容不符，已自动识别编码`],
];

/** A loader reason or warning in Chinese; an unknown one is shown as recorded. */
export function detailZh(text: string): string {
  for (const [re, zh] of DETAIL_ZH) {
    const m = re.exec(text);
    if (m) return zh(m);
  }
  return text;
}

const TRIGGERS: Readonly<Record<string, string>> = {
  start: '启动',
  pointer: '检测到新的索引版本',
  signal: '管理员信号（SIGHUP）',
  corpus: '语料目录变化',
};

/** GET /status: the index being served and how it got there (HTML, Chinese). */
export function statusRouter(service: AsyncSearchServiceApi, status?: IndexStatusSource): Router {
  const router = Router();
  router.get('/status', async (_req, res) => {
    const summary = await indexSummary(service, status);
    const last = publicReloadAttempt(status?.lastReload() ?? null);
    res.setHeader('Cache-Control', 'no-store');
    res.status(summary ? 200 : 503).render('status', {
      pageTitle: '索引状态',
      q: '',
      summary,
      last,
      triggerLabel: (t: string) => TRIGGERS[t] ?? t,
      beijingTime,
      skipLabel,
      detailZh,
    });
  });
  return router;
}
