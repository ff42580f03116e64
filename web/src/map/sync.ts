// The compare view: two maps that move as one. Whichever the user drags leads; the other jumps to
// the same camera. The guard stops the follower's own move event from echoing back.
import type { Map as MapLibreMap } from 'maplibre-gl';

export function syncMaps(a: MapLibreMap, b: MapLibreMap): () => void {
  let following = false;
  const follow = (leader: MapLibreMap, follower: MapLibreMap) => () => {
    if (following) return;
    following = true;
    follower.jumpTo({
      center: leader.getCenter(),
      zoom: leader.getZoom(),
      bearing: leader.getBearing(),
      pitch: leader.getPitch(),
    });
    following = false;
  };
  const aLeads = follow(a, b);
  const bLeads = follow(b, a);
  a.on('move', aLeads);
  b.on('move', bLeads);
  aLeads();
  return () => {
    a.off('move', aLeads);
    b.off('move', bLeads);
  };
}
