import {describe, expect, it} from 'vitest'
import {parseJsonBody, quoteBareNumericKeys} from '../../../../src/protocol/bodies/json-body.js'
import {expectBadBody} from './body-errors.js'

describe('quoteBareNumericKeys', () => {
  it('quotes fastjson bare Long keys after { or ,', () => {
    expect(quoteBareNumericKeys('{0:"a:1",1:"b", -1 :"c"}')).toBe('{"0":"a:1","1":"b", "-1" :"c"}')
  })

  it('leaves strings, values and arrays alone', () => {
    const text = '{"k":"{0:x}","n":[1,2,3],"m":{"7":5},"e":"\\"{1:2}"}'
    expect(quoteBareNumericKeys(text)).toBe(text)
  })
})

describe('parseJsonBody', () => {
  it('parses standard and fastjson-style JSON', () => {
    expect(parseJsonBody(Buffer.from('{"brokerAddrs":{0:"127.0.0.1:10911"}}'), 'X')).toEqual({brokerAddrs: {0: '127.0.0.1:10911'}})
  })

  it('rejects an empty or broken body with BAD_BODY', () => {
    expectBadBody(() => parseJsonBody(undefined, 'TopicRouteData'), 'TopicRouteData')
    expectBadBody(() => parseJsonBody(Buffer.alloc(0), 'TopicRouteData'), 'TopicRouteData')
    expectBadBody(() => parseJsonBody('{"a":', 'TopicRouteData'), 'TopicRouteData')
  })
})
