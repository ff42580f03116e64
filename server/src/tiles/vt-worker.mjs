// The PGlite tile path's heavy work, off the main thread: parsing a layer's features, building its
// geojson-vt index (seconds for the national villages) and encoding tiles with vt-pbf. The main
// thread (where PGlite runs) only reads the rows and passes them here as text, so requests that
// need no tile keep being answered while an index is built.
//
// Plain JavaScript on purpose: a worker is started from a file path, and this one must load the
// same way under `tsx`, under vitest and in production, without a TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import geojsonvt from 'geojson-vt';
import vtpbf from 'vt-pbf';

const { extent, buffer, maxIndexes } = workerData;
/** Indexes by key (layer|year|version), oldest first; at most `maxIndexes` kept. */
const indexes = new Map();

parentPort.on('message', (message) => {
  try {
    if (message.type === 'build') {
      const collection = JSON.parse(message.features);
      const index = geojsonvt(collection, {
        maxZoom: message.maxZoom,
        indexMaxZoom: 5,
        extent,
        buffer,
        tolerance: 3,
      });
      indexes.delete(message.key);
      indexes.set(message.key, { index, layer: message.layer });
      while (indexes.size > maxIndexes) indexes.delete(indexes.keys().next().value);
      parentPort.postMessage({ id: message.id, ok: true });
    } else if (message.type === 'tile') {
      const entry = indexes.get(message.key);
      if (!entry) {
        parentPort.postMessage({ id: message.id, ok: false, missing: true });
        return;
      }
      const tile = entry.index.getTile(message.z, message.x, message.y);
      const bytes = tile
        ? vtpbf.fromGeojsonVt({ [entry.layer]: tile }, { version: 2, extent })
        : new Uint8Array();
      parentPort.postMessage({ id: message.id, ok: true, bytes }, bytes.byteLength ? [bytes.buffer] : []);
    } else if (message.type === 'drop') {
      indexes.delete(message.key);
      parentPort.postMessage({ id: message.id, ok: true });
    } else if (message.type === 'count') {
      parentPort.postMessage({ id: message.id, ok: true, count: indexes.size });
    }
  } catch (error) {
    parentPort.postMessage({ id: message.id, ok: false, error: String(error?.stack ?? error) });
  }
});
