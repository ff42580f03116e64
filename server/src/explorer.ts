// The GraphQL explorer, served by the product itself: GraphiQL and React from npm, no CDN, so it
// works with no internet. Only these files are exposed from node_modules.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { type Router } from 'express';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

const ASSETS: Record<string, string> = {
  'react.js': join(packageDir('react'), 'umd', 'react.production.min.js'),
  'react-dom.js': join(packageDir('react-dom'), 'umd', 'react-dom.production.min.js'),
  'graphiql.js': join(packageDir('graphiql'), 'graphiql.min.js'),
  'graphiql.css': join(packageDir('graphiql'), 'graphiql.min.css'),
};

const EXAMPLE = `# 巩固拓展脱贫攻坚成果监测 · GraphQL explorer
# Press ▶ to run; the Docs panel describes every type.
# The data is generated demo data (see dataset.label).
{
  dataset { label }
  # 挂牌督战 villages with income under 4,000 yuan in 2020
  villages(
    first: 10
    filter: {
      supervised: true
      indicator: { indicator: PER_CAPITA_NET_INCOME, year: 2020, max: 4000 }
    }
  ) {
    totalCount
    nodes {
      code name township
      county { name }
      stats(year: 2020) { perCapitaNetIncome employmentRate }
    }
  }
}
`;

const PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>GraphQL explorer · 巩固拓展脱贫攻坚成果监测</title>
  <link rel="stylesheet" href="/explorer/assets/graphiql.css">
  <style>html, body, #explorer { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="explorer"></div>
  <script src="/explorer/assets/react.js"></script>
  <script src="/explorer/assets/react-dom.js"></script>
  <script src="/explorer/assets/graphiql.js"></script>
  <script src="/explorer/assets/explorer.js"></script>
</body>
</html>
`;

// A file, not an inline script: the Content-Security-Policy allows no inline script (security-headers.ts).
// Same-origin fetches send the session cookie, so the explorer runs as the logged-in user.
const START = `const fetcher = GraphiQL.createFetcher({ url: '/graphql' });
ReactDOM.createRoot(document.getElementById('explorer')).render(
  React.createElement(GraphiQL, { fetcher, defaultQuery: ${JSON.stringify(EXAMPLE)}, defaultEditorToolsVisibility: true }),
);
`;

export function explorerRouter(): Router {
  const router = express.Router();
  router.get('/', (_req, res) => {
    res.type('html').send(PAGE);
  });
  router.get('/assets/explorer.js', (_req, res) => {
    res.type('js').send(START);
  });
  router.get('/assets/:file', (req, res) => {
    const path = ASSETS[req.params.file];
    if (!path) {
      res.status(404).end();
      return;
    }
    // pnpm keeps packages under node_modules/.pnpm: a dot-folder that send() would refuse by default.
    res.sendFile(path, { maxAge: '1d', dotfiles: 'allow' });
  });
  return router;
}
