// Writes demo-output/: index.html (the issue as a page), the Mermaid bundle it loads from disk,
// and markdown/ with the raw text of every issue, comment and pull request body.
import { copyFile, mkdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { Collected } from "./collect.ts";
import { renderPage } from "./page.ts";

export const MERMAID_FILE = "mermaid.min.js";

export interface Written {
  dir: string;
  html: string;
  markdownDir: string;
  markdownFiles: string[];
}

/** The raw markdown files: issue-1.md, issue-1-comment-<id>.md, pr-5.md, pr-5-comment-<id>.md. */
export function markdownFiles(data: Collected): Map<string, string> {
  const files = new Map<string, string>();
  const add = (prefix: string, item: Collected["parent"]) => {
    files.set(`${prefix}-${item.number}.md`, item.body);
    for (const c of item.comments) files.set(`${prefix}-${item.number}-comment-${c.id}.md`, c.body);
  };
  add("issue", data.parent);
  for (const s of data.subIssues) add("issue", s);
  for (const p of data.pulls) add("pr", p);
  return files;
}

export async function writeOutput(dir: string, data: Collected, provenance: string): Promise<Written> {
  const markdownDir = path.join(dir, "markdown");
  // Start clean so files from an earlier run never mix with this one.
  await rm(markdownDir, { recursive: true, force: true });
  await mkdir(markdownDir, { recursive: true });
  const files = markdownFiles(data);
  for (const [name, body] of files) await writeFile(path.join(markdownDir, name), body);
  const require = createRequire(import.meta.url);
  await copyFile(require.resolve(`mermaid/dist/${MERMAID_FILE}`), path.join(dir, MERMAID_FILE));
  const html = path.join(dir, "index.html");
  await writeFile(html, renderPage(data, { mermaidScript: MERMAID_FILE, provenance }));
  return { dir, html, markdownDir, markdownFiles: [...files.keys()] };
}
