// Runs queries against a built site's own search: the elasticlunr.js and search index the site
// ships, with the search options the index carries, exactly as the site's searcher does.
// Input (stdin): {"html_dir": "...", "queries": ["...", ...], "top": 10}
// Output (stdout): [{"query": "...", "urls": ["current/troubleshooting.html#x", ...]}, ...]
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";

const input = JSON.parse(fs.readFileSync(0, "utf8"));
const dir = input.html_dir;
const find = (prefix) => {
  const name = fs.readdirSync(dir).find((f) => f.startsWith(prefix) && f.endsWith(".js"));
  if (!name) throw new Error(`no ${prefix}*.js in ${dir}`);
  return path.join(dir, name);
};
const context = { window: {}, console };
context.window.search = {};
context.self = context.window;
vm.createContext(context);
vm.runInContext(fs.readFileSync(find("elasticlunr"), "utf8") + "\nwindow.elasticlunr = elasticlunr;", context);
vm.runInContext(fs.readFileSync(find("searchindex"), "utf8"), context);
const config = context.window.search;
const index = context.window.elasticlunr.Index.load(config.index);
const results = input.queries.map((query) => ({
  query,
  urls: index
    .search(query, config.search_options)
    .slice(0, input.top || 10)
    .map((result) => config.doc_urls[result.ref]),
}));
process.stdout.write(JSON.stringify(results));
