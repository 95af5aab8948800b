/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * libFuzzer target: the vnet header codec, its check, the mbuf mappings
 * and the control-command codecs.  Any invariant broken aborts.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_mbuf.h>

#include "vnet_hash.h"
#include "vnet_hdr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const size_t sizes[] = { 10, 12, 20, 24 };

static void
fuzz_hdr(const uint8_t *data, size_t size, uint8_t sel)
{
	size_t hs = sizes[sel & 3];
	bool le = sel & 4;
	struct vnet_hdr h, h2;
	struct rte_mbuf m;
	uint8_t out[24];
	uint32_t frame_len;

	if (size < hs + 2)
		return;
	if (vnet_hdr_decode(&h, data, hs, le) != 0)
		abort();
	if (vnet_hdr_encode(&h, out, hs, le) != 0)
		abort();
	/* every byte of a header up to 20 is a field: encode(decode(x)) == x */
	if (memcmp(out, data, hs < 20 ? hs : 20) != 0 || (hs == 24 && memcmp(out + 20,
			"\0\0\0\0", 4) != 0))
		abort();
	if (vnet_hdr_decode(&h2, out, hs, le) != 0 || memcmp(&h, &h2, sizeof(h)) != 0)
		abort();

	frame_len = data[hs] | (uint32_t)data[hs + 1] << 8;
	if (vnet_hdr_check(&h, frame_len) == VNET_HDR_OK) {
		if ((h.flags & VNET_HDR_F_NEEDS_CSUM) &&
		    (uint32_t)h.csum_start + h.csum_offset + 2 > frame_len)
			abort();
		if (h.gso_type != 0 && h.gso_size == 0)
			abort();
	}
	memset(&m, 0, sizeof(m));
	if (vnet_hdr_to_mbuf(&h, &m) == 0) {
		if ((h.hash_report != 0) != ((m.ol_flags & RTE_MBUF_F_RX_RSS_HASH) != 0))
			abort();
	} else if (m.ol_flags != 0) {
		abort();	/* refused but touched the mbuf */
	}
}

static void
fuzz_tx(const uint8_t *data, size_t size)
{
	static const uint64_t tx_flags[] = {
		RTE_MBUF_F_TX_TCP_SEG, RTE_MBUF_F_TX_UDP_SEG, RTE_MBUF_F_TX_IPV4,
		RTE_MBUF_F_TX_IPV6, RTE_MBUF_F_TX_IP_CKSUM, RTE_MBUF_F_TX_TCP_CKSUM,
		RTE_MBUF_F_TX_UDP_CKSUM, RTE_MBUF_F_TX_SCTP_CKSUM,
		RTE_MBUF_F_TX_TUNNEL_VXLAN, RTE_MBUF_F_TX_OUTER_IP_CKSUM,
	};
	struct rte_mbuf m;
	struct vnet_hdr h;
	unsigned int i;

	if (size < 10)
		return;
	memset(&m, 0, sizeof(m));
	for (i = 0; i < RTE_DIM(tx_flags); i++)
		if ((data[0] | data[1] << 8) & (1u << i))
			m.ol_flags |= tx_flags[i];
	m.l2_len = data[2];
	m.l3_len = data[3] | (data[4] & 1) << 8;
	m.l4_len = data[5];
	m.tso_segsz = (uint16_t)(data[6] | data[7] << 8);
	m.pkt_len = data[8] | (uint32_t)data[9] << 8;
	if (vnet_hdr_from_mbuf(&h, &m) == 0) {
		if (vnet_hdr_check(&h, m.pkt_len) != VNET_HDR_OK)
			abort();
		if (h.gso_type != 0 && h.hdr_len != m.l2_len + m.l3_len + m.l4_len)
			abort();
	}
}

static void
fuzz_control(const uint8_t *data, size_t size, bool rss_cmd)
{
	static struct vnet_hash_rss r;
	static uint8_t out[4096];
	struct vnet_hash_config c;
	int len;

	if (rss_cmd) {
		if (vnet_hash_rss_decode(&r, data, size) != 0)
			return;
		len = vnet_hash_rss_encode(&r, out, sizeof(out));
	} else {
		if (vnet_hash_config_decode(&c, data, size) != 0)
			return;
		len = vnet_hash_config_encode(&c, out, sizeof(out));
	}
	/* what decodes re-encodes to the same bytes, but hash_config's reserved[] */
	if (len != (int)size)
		abort();
	if (rss_cmd ? memcmp(out, data, size) != 0 :
	    memcmp(out, data, 4) != 0 || memcmp(out + 12, data + 12, size - 12) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] >> 6) {
	case 0:
		fuzz_hdr(data + 1, size - 1, data[0]);
		break;
	case 1:
		fuzz_tx(data + 1, size - 1);
		break;
	default:
		fuzz_control(data + 1, size - 1, data[0] & 0x40);
		break;
	}
	return 0;
}
