import type { LookupAddress } from "node:dns";
import { describe, expect, it } from "vitest";
import { nonPublicRange } from "../../src/services/webhooks/address-policy.js";
import { pinnedLookup } from "../../src/services/webhooks/pinned-post.js";
import {
  assertSafeWebhookUrl,
  resolveWebhookTarget,
  UnsafeWebhookUrl,
  type HostResolver,
} from "../../src/services/webhooks/ssrf.js";

/** A resolver for IP-literal URLs: being asked at all is a failure, and nothing goes to DNS. */
const noDns: HostResolver = async (host) => {
  throw new Error(`unexpected lookup of ${host}`);
};
/** Answers fixed addresses for any host name, without DNS. */
const answers =
  (...addresses: string[]): HostResolver =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));

describe("the webhook address policy", () => {
  it.each([
    ["8.8.8.8", "public IPv4"],
    ["1.1.1.1", "public IPv4"],
    ["2606:4700::1111", "public IPv6"],
    ["2001:4860:4860::8888", "public IPv6"],
    ["::ffff:8.8.8.8", "IPv4-mapped public IPv4: judged by the IPv4 it carries"],
    ["::ffff:808:808", "the same, in hex"],
    ["64:ff9b::1.1.1.1", "NAT64 of a public IPv4"],
  ])("allows %s (%s)", (address) => {
    expect(nonPublicRange(address)).toBeNull();
  });

  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "linkLocal"],
    ["100.64.0.1", "carrierGradeNat"],
    ["0.0.0.0", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["240.0.0.1", "reserved"],
    ["192.0.2.1", "reserved"],
    ["198.18.0.1", "reserved"],
    ["::", "unspecified"],
    ["::1", "loopback"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:10.0.0.1", "private"],
    ["::ffff:169.254.169.254", "linkLocal"],
    ["::ffff:7f00:1", "loopback"],
    ["::127.0.0.1", "ipv4Compatible"],
    ["::10.0.0.1", "ipv4Compatible"],
    ["::8.8.8.8", "ipv4Compatible"],
    ["64:ff9b::127.0.0.1", "loopback"],
    ["64:ff9b::a9fe:a9fe", "linkLocal"],
    ["64:ff9b::192.168.0.1", "private"],
    ["64:ff9b:1::a00:1", "rfc6052"],
    ["fec0::1", "deprecatedSiteLocal"],
    ["fc00::1", "uniqueLocal"],
    ["fd12:3456::1", "uniqueLocal"],
    ["fe80::1", "linkLocal"],
    ["fe80::1%eth0", "scoped"],
    ["ff02::1", "multicast"],
    ["2002:7f00:1::1", "6to4"],
    ["2002:c0a8:101::1", "6to4"],
    ["2002:808:808::1", "6to4"],
    ["2001::1", "teredo"],
    ["2001:db8::1", "reserved"],
    ["100::1", "discard"],
    ["::ffff:0:7f00:1", "rfc6145"],
    ["4000::1", "notGlobalUnicast"],
  ])("refuses %s (%s)", (address, range) => {
    expect(nonPublicRange(address)).toBe(range);
  });
});

describe("resolveWebhookTarget", () => {
  it("accepts public IP-literal URLs without resolving anything", async () => {
    for (const url of [
      "http://8.8.8.8/hook",
      "https://1.1.1.1/hook",
      "http://[2606:4700::1111]/hook",
      "http://[::ffff:8.8.8.8]:8080/hook",
    ]) {
      const target = await resolveWebhookTarget(url, { allowPrivate: false, resolve: noDns });
      expect(target.addresses).toHaveLength(1);
      expect(nonPublicRange(target.addresses[0].address)).toBeNull();
    }
  });

  it("refuses every spelling of a private address in the URL", async () => {
    for (const url of [
      "http://127.0.0.1/",
      "http://2130706433/",
      "http://0x7f.1/",
      "http://0177.0.0.1/",
      "http://[::1]/",
      "http://[::ffff:127.0.0.1]/",
      "http://[::ffff:a9fe:a9fe]/latest",
      "http://[::127.0.0.1]/",
      "http://[64:ff9b::10.0.0.1]/",
      "http://[fec0::1]/",
      "http://[fd00::1]/",
      "http://[fe80::1]/",
      "http://[2002:a00:1::]/",
      "http://0.0.0.0/",
    ]) {
      await expect(resolveWebhookTarget(url, { allowPrivate: false, resolve: noDns }), url).rejects.toThrow(
        /private or reserved/,
      );
    }
  });

  it("checks every address a name resolves to, and keeps them all for the connection", async () => {
    const target = await resolveWebhookTarget("https://hooks.example.test/x", {
      allowPrivate: false,
      resolve: answers("8.8.8.8", "2606:4700::1111"),
    });
    expect(target.addresses.map((a) => a.address)).toEqual(["8.8.8.8", "2606:4700::1111"]);
    expect(target.url.hostname).toBe("hooks.example.test");
    await expect(
      resolveWebhookTarget("https://hooks.example.test/x", {
        allowPrivate: false,
        resolve: answers("8.8.8.8", "10.0.0.7"),
      }),
    ).rejects.toThrow("10.0.0.7: private");
    await expect(
      resolveWebhookTarget("https://hooks.example.test/x", {
        allowPrivate: false,
        resolve: answers("::ffff:192.168.0.1"),
      }),
    ).rejects.toThrow(UnsafeWebhookUrl);
    await expect(
      resolveWebhookTarget("https://gone.example.test/x", { allowPrivate: false, resolve: answers() }),
    ).rejects.toThrow("does not resolve");
    await expect(
      resolveWebhookTarget("https://gone.example.test/x", { allowPrivate: false, resolve: noDns }),
    ).rejects.toThrow("does not resolve");
  });

  it("allows private addresses when told to, and still refuses other schemes and credentials", async () => {
    expect(
      (await resolveWebhookTarget("http://localhost:9/x", { allowPrivate: true, resolve: answers("127.0.0.1") }))
        .addresses,
    ).toEqual([{ address: "127.0.0.1", family: 4 }]);
    await expect(
      assertSafeWebhookUrl("http://unresolvable.test/x", { allowPrivate: true, resolve: noDns }),
    ).resolves.toBeUndefined();
    await expect(assertSafeWebhookUrl("ftp://8.8.8.8/x", { allowPrivate: true })).rejects.toThrow(
      "must be http or https",
    );
    await expect(assertSafeWebhookUrl("http://u:p@8.8.8.8/x", { allowPrivate: false })).rejects.toThrow("credentials");
  });
});

describe("pinnedLookup", () => {
  const checked: LookupAddress[] = [
    { address: "8.8.8.8", family: 4 },
    { address: "2606:4700::1111", family: 6 },
  ];
  const ask = (options: { family?: number; all?: boolean }) =>
    new Promise<{ err: NodeJS.ErrnoException | null; address: unknown; family?: number }>((resolve) =>
      pinnedLookup(checked)("hooks.example.test", options, (err, address, family) => resolve({ err, address, family })),
    );

  it("answers only the checked addresses, in the shape the socket asked for", async () => {
    expect((await ask({ all: true })).address).toEqual(checked);
    expect(await ask({ family: 6, all: true })).toMatchObject({ err: null, address: [checked[1]] });
    expect(await ask({ family: 4 })).toMatchObject({ err: null, address: "8.8.8.8", family: 4 });
    expect(await ask({})).toMatchObject({ err: null, address: "8.8.8.8", family: 4 });
  });

  it("fails rather than fall back to DNS when no checked address has the family asked for", async () => {
    const only4 = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      pinnedLookup([checked[0]])("h", { family: 6 }, (err) => resolve(err)),
    );
    expect(only4?.code).toBe("ENOTFOUND");
  });
});
