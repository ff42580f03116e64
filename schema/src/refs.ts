// The object refs of the domain types, declared apart from their fields so that domain files can
// point at each other (a county lists villages; a village names its county) without import cycles.
import type { CountyRow, RegionRow, RelocationSiteRow, VillageRow } from '@rrm/db';
import { builder } from './builder.ts';

export const CountyRef = builder.objectRef<CountyRow>('County');
export const VillageRef = builder.objectRef<VillageRow>('Village');
export const RelocationSiteRef = builder.objectRef<RelocationSiteRow>('RelocationSite');
export const RegionRef = builder.objectRef<RegionRow>('Region');
