import '@fontsource/noto-sans/400.css';
import 'maplibre-gl/dist/maplibre-gl.css';
import './app.css';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';

createRoot(document.getElementById('root')!).render(<App />);
