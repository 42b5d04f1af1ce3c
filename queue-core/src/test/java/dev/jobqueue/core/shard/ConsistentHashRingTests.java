package dev.jobqueue.core.shard;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConsistentHashRingTests {

	@Test
	void theSameIdAlwaysMapsToTheSameShard() {
		ConsistentHashRing ring = new ConsistentHashRing(List.of("emails#0", "emails#1", "emails#2"));
		ConsistentHashRing again = new ConsistentHashRing(List.of("emails#0", "emails#1", "emails#2"));
		for (int i = 0; i < 1_000; i++) {
			assertThat(again.shardOf("order-" + i)).isEqualTo(ring.shardOf("order-" + i));
		}
	}

	@Test
	void addingAShardMovesAboutOneNthOfTheIdsAllToTheNewShard() {
		List<String> three = List.of("emails#0", "emails#1", "emails#2");
		List<String> four = new ArrayList<>(three);
		four.add("emails#3");
		ConsistentHashRing before = new ConsistentHashRing(three);
		ConsistentHashRing after = new ConsistentHashRing(four);
		int moved = 0;
		for (int i = 0; i < 100_000; i++) {
			String id = "order-" + i;
			if (before.shardOf(id) != after.shardOf(id)) {
				moved++;
				assertThat(after.shardOf(id)).isEqualTo(3);
			}
		}
		assertThat(moved).isBetween(20_000, 30_000);
	}

}
