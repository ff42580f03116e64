import '@fontsource/noto-sans/400.css';
import 'maplibre-gl/dist/maplibre-gl.css';
import './app.css';
import { lazy, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { usePath } from './router.tsx';

// The supervision and data pages load when first visited; the map does not wait for them.
const LoginPage = lazy(() => import('./supervision/login-page.tsx').then((m) => ({ default: m.LoginPage })));
const SupervisionPage = lazy(() =>
  import('./supervision/supervision-page.tsx').then((m) => ({ default: m.SupervisionPage })),
);
const ListingPage = lazy(() =>
  import('./supervision/listing-page.tsx').then((m) => ({ default: m.ListingPage })),
);
const DeadlinesPage = lazy(() =>
  import('./supervision/deadlines-page.tsx').then((m) => ({ default: m.DeadlinesPage })),
);
const DataPage = lazy(() => import('./data-page/data-page.tsx').then((m) => ({ default: m.DataPage })));

function Root() {
  const path = usePath().split('?')[0]!;
  const listing = /^\/supervision\/listings\/(\d+)$/.exec(path);
  const page =
    path === '/login' ? (
      <LoginPage />
    ) : path === '/supervision' ? (
      <SupervisionPage />
    ) : path === '/supervision/deadlines' ? (
      <DeadlinesPage />
    ) : listing ? (
      <ListingPage id={Number(listing[1])} />
    ) : path === '/data' ? (
      <DataPage />
    ) : (
      <App />
    );
  return <Suspense fallback={<div className="page">…</div>}>{page}</Suspense>;
}

createRoot(document.getElementById('root')!).render(<Root />);
