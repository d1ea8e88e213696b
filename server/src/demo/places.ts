import { wardPolygons } from '@citydeck/shared'
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon'
import type { City } from '../city/profile'
import type { DemoParams, DemoTexts } from './params'
import type { Random } from './random'

type WardPlace = {
  code: string
  name: string
  streets: string[]
  feature: City['wards']['features'][number]
  bbox: [number, number, number, number]
}

/** Where things happen: wards weighted by density, points inside their polygons, streets, people. */
export class Places {
  readonly wardWeights: Record<string, number>
  private readonly wards = new Map<string, WardPlace>()

  constructor(
    city: City,
    params: DemoParams,
    private readonly texts: DemoTexts,
  ) {
    this.wardWeights = {}
    for (const feature of city.wards.features) {
      const code = feature.properties.code
      const demo = params.wards[code]
      if (!demo) continue
      this.wardWeights[code] = demo.weight
      this.wards.set(code, {
        code,
        name: feature.properties.name,
        streets: demo.streets,
        feature,
        bbox: bbox(feature),
      })
    }
    if (this.wards.size === 0) throw new Error('demo.json names none of the profile’s wards')
  }

  ward(code: string): WardPlace {
    return this.wards.get(code)!
  }

  /** A uniformly random point inside the ward polygon (rejection sampling in its bounding box). */
  pointIn(ward: WardPlace, random: Random): { lat: number; lng: number } {
    const [minLng, minLat, maxLng, maxLat] = ward.bbox
    let lng = (minLng + maxLng) / 2
    let lat = (minLat + maxLat) / 2
    for (let attempt = 0; attempt < 60; attempt++) {
      lng = random.between(minLng, maxLng)
      lat = random.between(minLat, maxLat)
      if (booleanPointInPolygon([lng, lat], ward.feature)) break
    }
    return { lat: round6(lat), lng: round6(lng) }
  }

  /** Fills `{street}` and `{n}` of a text template. */
  fill(template: string, street: string, n: number): string {
    return template.replaceAll('{street}', street).replaceAll('{n}', String(n))
  }

  person(random: Random): { name: string; phone: string } {
    const { family, middle, given, phonePrefixes } = this.texts.names
    const name = `${random.pick(family)} ${random.pick(middle)} ${random.pick(given)}`
    const phone = `${random.pick(phonePrefixes)}${String(random.int(0, 9_999_999)).padStart(7, '0')}`
    return { name, phone }
  }
}

function bbox(feature: City['wards']['features'][number]): [number, number, number, number] {
  const box: [number, number, number, number] = [180, 90, -180, -90]
  for (const [lng, lat] of wardPolygons(feature.geometry).flat(2)) {
    box[0] = Math.min(box[0], lng)
    box[1] = Math.min(box[1], lat)
    box[2] = Math.max(box[2], lng)
    box[3] = Math.max(box[3], lat)
  }
  return box
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6
