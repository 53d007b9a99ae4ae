import {describe, expect, it} from 'vitest'
import {nextRate} from '../../src/matrix/rate-search.js'

describe('nextRate', () => {
  it('doubles until a step fails, then bisects the bracket until it is within 10 %', () => {
    expect(nextRate(500, undefined)).toBe(1000)
    expect(nextRate(1000, 2000)).toBe(1500)
    expect(nextRate(1000, 1090)).toBeUndefined()
  })
  it('halves below a first step that failed, down to the floor', () => {
    expect(nextRate(0, 400)).toBe(200)
    expect(nextRate(0, 15)).toBeUndefined()
  })
})
